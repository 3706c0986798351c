import type { Finding } from '../../table/finding';
import { HYPERV_DDA_MESSAGE, describeDevice, isUsbClass, tableDevices } from '../devices';
import { formatRange } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'rmrr-relaxable';

export const rmrrRelaxable: Rule = {
  meta: {
    id: ID, severity: 'info', fixable: false,
    title: 'A USB or display device in an RMRR: Linux lets VFIO take it, other hypervisors do not',
  },
  check(ctx) {
    const out: Finding[] = [];
    const rmrrs = tableDevices(ctx).rmrrs;
    for (let i = 0; i < rmrrs.length; i++) {
      const r = rmrrs[i]!;
      if (r.relaxableCount === 0) continue;
      for (let k = 0; k < r.devices.length; k++) {
        const d = r.devices[k]!;
        if (!d.relaxable || d.presence === 'absent') continue;
        const usb = isUsbClass(d.classCode!);
        const why = usb
          ? 'Linux assumes that a USB controller\'s RMRR (legacy keyboard emulation) is not used after boot'
          : 'Linux exempts display devices on the condition that the driver stops using the range (graphics stolen memory) before the device is assigned';
        const via = d.viaBridge ? `, below bridge ${d.viaBridge}, which it names as a sub-hierarchy` : '';
        const range = formatRange(r.rmrr.base, r.rmrr.limit);
        out.push({
          rule: ID, ...atScope(d.scope),
          message: `This RMRR (${range}) names ${describeDevice(d)}${via}. ${why}, so it lets VFIO take the device: the attach check has exempted USB and graphics since 3.17, and since 5.3 device_rmrr_is_relaxable() reports the range as \`direct-relaxable\` in /sys/kernel/iommu_groups/N/reserved_regions, which VFIO does not hold against the guest's memory. Hyper-V DDA still refuses it ("${HYPERV_DDA_MESSAGE}"), Xen still maps the range into the guest, and the device may keep DMAing into the range from inside a guest. Keep it only if the device really uses the range after boot; otherwise drop it from the scope.`,
          related: [{ ...atStructure(r.rmrr), message: `the RMRR ${range}` }],
        });
      }
    }
    return out;
  },
};
