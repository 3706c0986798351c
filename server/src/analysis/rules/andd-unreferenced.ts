import type { Finding } from '../../table/finding';
import { SCOPE_TYPE, type Andd, type DeviceScope } from '../../table/model';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'andd-unreferenced';

// VT-d spec 8.3.1 and 8.5: a DRHD namespace scope (type 5) names an ANDD by its device number in
// Enumeration ID. Linux drivers/iommu/intel/dmar.c dmar_acpi_insert_dev_scope(): an ANDD no DRHD
// scope names gets "No IOMMU scope found for ANDD enumeration ID <n> (<name>)"; a namespace scope
// with no ANDD stays an empty slot and nothing is attached to the unit.

export const anddUnreferenced: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'An ANDD that no DRHD namespace scope uses, or a namespace scope with no ANDD',
  },
  check(ctx) {
    const andds = new Map<number, Andd>();
    const scopes = new Map<number, DeviceScope>();
    const scopeList: DeviceScope[] = [];
    const anddList = structuresOfKind(ctx, 'andd');
    for (let i = 0; i < anddList.length; i++) {
      const s = anddList[i]!;
      if (!andds.has(s.deviceNumber)) andds.set(s.deviceNumber, s);
    }
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      for (let j = 0; j < s.scopes.length; j++) {
        const scope = s.scopes[j]!;
        if (scope.type !== SCOPE_TYPE.namespace) continue;
        scopeList.push(scope);
        if (!scopes.has(scope.enumerationId)) scopes.set(scope.enumerationId, scope);
      }
    }
    const out: Finding[] = [];
    for (let i = 0; i < anddList.length; i++) {
      const s = anddList[i]!;
      if (scopes.has(s.deviceNumber)) continue;
      out.push({
        rule: ID, ...atField(s.loc, 'deviceNumber'),
        message: `ANDD device ${s.deviceNumber} ("${s.name}") is named by no DRHD namespace scope (type 5 with Enumeration ID ${s.deviceNumber}), so no IOMMU is declared for it. `
          + `Linux reports "No IOMMU scope found for ANDD enumeration ID ${s.deviceNumber} (...)" and the device's DMA is not remapped. `
          + `Add a namespace scope with Enumeration ID ${s.deviceNumber} to the DRHD that translates the device, or remove the ANDD if the device is gone.`,
      });
    }
    for (const scope of scopeList) {
      if (andds.has(scope.enumerationId)) continue;
      out.push({
        rule: ID, ...atField(scope.loc, 'enumerationId'),
        message: `This namespace scope names ANDD device ${scope.enumerationId}, but no ANDD declares that device number, so it names no device. `
          + `Linux keeps an empty slot for it and attaches nothing to the unit. `
          + `Add an ANDD with Device Number ${scope.enumerationId} and the device's ACPI path, or correct the Enumeration ID.`,
      });
    }
    return out;
  },
};
