import { reportedElsewhere } from '../rule';

// Reported by the source reader: iasl compiles fields strictly in the order each structure defines.
export const fieldOrder = reportedElsewhere({
  id: 'field-order', severity: 'error', fixable: false,
  title: 'A field is missing or out of the order the structure defines',
});
