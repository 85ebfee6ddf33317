export { type Analysis, analyze, diagnose } from './diagnose';
export { type Knowledge, KnowledgeError, loadKnowledge } from './knowledge';
export { redactSecrets } from './redact';
export * from './types';
