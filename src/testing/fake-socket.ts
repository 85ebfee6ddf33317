/**
 * A minimal WebSocket server side (RFC 6455) for the fake Slack's Socket Mode endpoint: handshake,
 * unfragmented text frames, ping → pong, close handshake. Enough for @slack/socket-mode's client.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class FakeSocketConnection {
  private buffer = Buffer.alloc(0);
  closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly onText: (text: string) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {
      this.closed = true;
    });
  }

  static accept(req: IncomingMessage, socket: Duplex, onText: (text: string) => void): FakeSocketConnection {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Accept: ${accept}`,
        '',
        '',
      ].join('\r\n'),
    );
    return new FakeSocketConnection(socket, onText);
  }

  sendText(text: string): void {
    this.send(0x1, Buffer.from(text, 'utf8'));
  }

  close(): void {
    if (this.closed) return;
    this.send(0x8, Buffer.from([0x03, 0xe8]));
    this.socket.end();
    this.closed = true;
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private send(opcode: number, payload: Buffer): void {
    if (this.closed) return;
    let header: Buffer;
    if (payload.length < 126) header = Buffer.from([0x80 | opcode, payload.length]);
    else if (payload.length < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(payload.length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    this.socket.write(Buffer.concat([header, payload]));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const buf = this.buffer;
      if (buf.length < 2) return;
      const opcode = (buf[0] as number) & 0x0f;
      const masked = ((buf[1] as number) & 0x80) !== 0;
      let length = (buf[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        length = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLength = masked ? 4 : 0;
      if (buf.length < offset + maskLength + length) return;
      const mask = masked ? buf.subarray(offset, offset + 4) : null;
      offset += maskLength;
      const payload = Buffer.from(buf.subarray(offset, offset + length));
      if (mask)
        for (let i = 0; i < payload.length; i++)
          payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
      this.buffer = buf.subarray(offset + length);
      if (opcode === 0x1) this.onText(payload.toString('utf8'));
      else if (opcode === 0x8) {
        this.send(0x8, payload.subarray(0, 2));
        this.socket.end();
        this.closed = true;
        return;
      } else if (opcode === 0x9) this.send(0xa, payload);
    }
  }
}
