/**
 * Checks a Slack message or view against Block Kit's documented limits, returning every breach
 * (empty when it fits). Shared by the card tests and the HTTP tests that inspect outgoing calls.
 * Limits: https://api.slack.com/reference/block-kit/blocks and …/block-elements, …/composition-objects.
 */
export const BLOCK_KIT = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  /** Input block label; a plain_text_input's initial value and max_length; a select's options and option text. */
  inputLabel: 2000,
  plainTextInput: 3000,
  selectOptions: 100,
  optionText: 75,
  /** Undocumented: chat.postMessage rejects blocks around 11–13k characters (msg_blocks_too_long). */
  messageChars: 10_000,
  text: 40_000,
} as const;

type Json = Record<string, unknown>;

function textOf(obj: unknown): string | undefined {
  return obj && typeof obj === 'object' && typeof (obj as Json).text === 'string'
    ? ((obj as Json).text as string)
    : undefined;
}

export function blockKitProblems(
  message: { text?: unknown; blocks?: unknown },
  kind: 'message' | 'view' = 'message',
): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Json[]) : [];
  const max = kind === 'message' ? BLOCK_KIT.blocksPerMessage : BLOCK_KIT.blocksPerView;
  if (blocks.length > max) fail('blocks', `${blocks.length} blocks > ${max}`);
  if (kind === 'message') {
    if (typeof message.text !== 'string' || !message.text.trim()) fail('text', 'no top-level fallback text');
    else if (message.text.length > BLOCK_KIT.text) fail('text', `${message.text.length} chars`);
    const size = JSON.stringify(blocks).length;
    if (size > BLOCK_KIT.messageChars)
      fail('blocks', `${size} characters of blocks > ${BLOCK_KIT.messageChars}`);
  }
  const ids = new Set<string>();
  blocks.forEach((block, i) => {
    const where = `blocks[${i}] (${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > BLOCK_KIT.id) fail(where, 'block_id too long');
      if (ids.has(block.block_id)) fail(where, `duplicate block_id ${block.block_id}`);
      ids.add(block.block_id);
    }
    switch (block.type) {
      case 'header': {
        const t = textOf(block.text);
        if (!t) fail(where, 'header without text');
        else if (t.length > BLOCK_KIT.header) fail(where, `header ${t.length} chars`);
        if ((block.text as Json | undefined)?.type !== 'plain_text')
          fail(where, 'header text must be plain_text');
        break;
      }
      case 'section': {
        const t = textOf(block.text);
        const fields = Array.isArray(block.fields) ? (block.fields as Json[]) : [];
        if (t === undefined && fields.length === 0) fail(where, 'section needs text or fields');
        if (t !== undefined && (t.length === 0 || t.length > BLOCK_KIT.sectionText))
          fail(where, `section text ${t.length} chars`);
        if (fields.length > BLOCK_KIT.fields) fail(where, `${fields.length} fields`);
        for (const f of fields)
          if ((textOf(f) ?? '').length > BLOCK_KIT.fieldText) fail(where, 'field too long');
        if (block.accessory) checkElement(block.accessory as Json, `${where}.accessory`, fail);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
        if (elements.length === 0 || elements.length > BLOCK_KIT.contextElements)
          fail(where, `${elements.length} elements`);
        for (const e of elements) {
          const t = textOf(e);
          if (t !== undefined && (t.length === 0 || t.length > BLOCK_KIT.contextText))
            fail(where, `context text ${t.length} chars`);
        }
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
        if (elements.length === 0 || elements.length > BLOCK_KIT.actionsElements)
          fail(where, `${elements.length} elements`);
        const actionIds = new Set<string>();
        elements.forEach((e, j) => {
          checkElement(e, `${where}.elements[${j}]`, fail);
          if (typeof e.action_id === 'string') {
            if (actionIds.has(e.action_id)) fail(where, `duplicate action_id ${e.action_id}`);
            actionIds.add(e.action_id);
          }
        });
        break;
      }
      case 'input': {
        if (kind !== 'view') fail(where, 'input blocks belong in modals and Home tabs');
        const label = textOf(block.label);
        if (!label || label.length > BLOCK_KIT.inputLabel) fail(where, `label ${label?.length ?? 0} chars`);
        if (!block.element) fail(where, 'input without an element');
        else checkElement(block.element as Json, `${where}.element`, fail);
        break;
      }
      case 'divider':
      case 'rich_text':
      case 'image':
        break;
      default:
        fail(where, 'unexpected block type');
    }
  });
  return problems;
}

function checkElement(e: Json, where: string, fail: (where: string, what: string) => void): void {
  if (typeof e.action_id === 'string' && e.action_id.length > BLOCK_KIT.id) fail(where, 'action_id too long');
  if (e.type === 'button') {
    const t = textOf(e.text);
    if (!t || t.length > BLOCK_KIT.buttonText) fail(where, `button text ${t?.length ?? 0} chars`);
    if (typeof e.value === 'string' && e.value.length > BLOCK_KIT.buttonValue)
      fail(where, `button value ${e.value.length} chars`);
    if (typeof e.url === 'string' && e.url.length > BLOCK_KIT.url) fail(where, 'button url too long');
  }
  if (e.type === 'plain_text_input') {
    const max = typeof e.max_length === 'number' ? e.max_length : BLOCK_KIT.plainTextInput;
    if (max > BLOCK_KIT.plainTextInput) fail(where, `max_length ${max} > ${BLOCK_KIT.plainTextInput}`);
    if (typeof e.initial_value === 'string' && e.initial_value.length > max)
      fail(where, `initial_value ${e.initial_value.length} chars > ${max}`);
  }
  if (e.type === 'static_select') {
    const options = Array.isArray(e.options) ? (e.options as Json[]) : [];
    if (options.length === 0 || options.length > BLOCK_KIT.selectOptions)
      fail(where, `${options.length} options`);
    for (const o of options)
      if ((textOf(o.text) ?? '').length > BLOCK_KIT.optionText) fail(where, 'option text too long');
  }
}
