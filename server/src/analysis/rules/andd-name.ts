import type { Finding } from '../../table/finding';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'andd-name';

// Linux drivers/iommu/intel/dmar.c dmar_parse_one_andd(): a name without a NUL inside Length prints
// "[Firmware Bug]: Your BIOS is broken; ANDD object name is not NUL-terminated" and fails the
// parse ("Parse DMAR table failure."). dmar_acpi_dev_scope_init() looks the name up from the
// namespace root and otherwise prints "Failed to find handle for ACPI object <name>". An ACPI name
// path (ACPI spec 5.3, NamePath): an optional root `\` or parent `^` prefixes, then 1-4 character
// name segments of A-Z, 0-9 and `_` separated by dots.
const ACPI_PATH = /^(\\|\^+)?[A-Z0-9_]{1,4}(\.[A-Z0-9_]{1,4})*$/;

export const anddName: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'An ANDD object name is empty, not NUL-terminated, or not an ACPI path',
  },
  check(ctx) {
    const out: Finding[] = [];
    const andds = structuresOfKind(ctx, 'andd');
    for (let i = 0; i < andds.length; i++) {
      const s = andds[i]!;
      const device = `ANDD device ${s.deviceNumber}`;
      let message: string | undefined;
      if (!s.nameTerminated) {
        message = `The name of ${device} ("${s.name}") has no terminating NUL inside the structure's Length. `
          + `Linux reports "[Firmware Bug]: Your BIOS is broken; ANDD object name is not NUL-terminated" and fails the whole table ("Parse DMAR table failure."), so the IOMMU stays off. `
          + `End the name with a NUL byte and count it in Length.`;
      } else if (s.name.length === 0) {
        message = `${device} has an empty name, so it declares no ACPI device: Linux cannot find it ("Failed to find handle for ACPI object") and the namespace device stays outside every IOMMU. `
          + `Write the device's full ACPI path, for example "\\_SB.PCI0.I2C0".`;
      } else if (!ACPI_PATH.test(s.name)) {
        message = `"${s.name}", the name of ${device}, is not an ACPI name path (an optional \\ or ^ prefix, then segments of 1-4 characters A-Z, 0-9 or _ separated by dots). `
          + `Linux looks the name up in the ACPI namespace and, not finding it, reports "Failed to find handle for ACPI object ${s.name}"; the namespace device then stays outside every IOMMU. `
          + `Write the device's full ACPI path, for example "\\_SB.PCI0.I2C0".`;
      }
      if (message) out.push({ rule: ID, ...atField(s.loc, 'name'), message });
    }
    return out;
  },
};
