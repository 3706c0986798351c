import { reportedElsewhere } from '../rule';

// Reported by the readers: a value wider than its field (iasl refuses it).
export const valueWidth = reportedElsewhere({
  id: 'value-width', severity: 'error', fixable: false,
  title: 'A value does not fit its field',
});
