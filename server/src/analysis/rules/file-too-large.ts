import { reportedElsewhere } from '../rule';

// Reported by the language server when a document exceeds the live-analysis limit.
export const fileTooLarge = reportedElsewhere({
  id: 'file-too-large', severity: 'warning', fixable: false,
  title: 'The document is larger than the configured limit for live analysis',
});
