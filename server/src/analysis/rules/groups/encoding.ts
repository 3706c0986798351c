import type { Rule } from '../../rule';
import { checksumMismatch } from '../checksum-mismatch';
import { fieldOrder } from '../field-order';
import { fileTooLarge } from '../file-too-large';
import { lengthMismatch } from '../length-mismatch';
import { rawDataMismatch } from '../raw-data-mismatch';
import { reservedNonzero } from '../reserved-nonzero';
import { structureLengthZero } from '../structure-length-zero';
import { structureOrder } from '../structure-order';
import { syntax } from '../syntax';
import { unknownStructureType } from '../unknown-structure-type';
import { valueWidth } from '../value-width';

export const ENCODING_RULES: readonly Rule[] = [
  syntax, fieldOrder, valueWidth, lengthMismatch, structureLengthZero, checksumMismatch, rawDataMismatch,
  unknownStructureType, reservedNonzero, structureOrder, fileTooLarge,
];
