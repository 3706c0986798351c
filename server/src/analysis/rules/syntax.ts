import { reportedElsewhere } from '../rule';

// Reported by the readers (source, JSON, binary): a line or value they cannot read.
export const syntax = reportedElsewhere({
  id: 'syntax', severity: 'error', fixable: false,
  title: 'A line cannot be read: unknown field for this place, unparsable value, stray text',
});
