/**
 * Domain XML as the test driver takes it: parsed by the domain room's parser, then completed the way
 * libvirt's test driver does after parsing (testDomainDefNamespaceParse's siblings): the architecture
 * defaults to i686 and every interface without a `<target dev>` gets the first free `testnetN`.
 */
import type { DomainDef, InterfaceDef } from '../../domain/def.ts';
import { parseDomainXml } from '../../domain/xml-parse.ts';
import { TEST_DEFAULT_ARCH } from './default-host.ts';

/** Largest domain XML the test driver accepts (define, create, node files, save images). */
export const MAX_DOMAIN_XML_BYTES = 1024 * 1024;

/** Parses domain XML and applies the test driver's defaults. Throws VIR_ERR_XML_ERROR on bad input. */
export function parseTestDomainXml(xml: string): DomainDef {
  return completeTestDef(parseDomainXml(xml, { maxBytes: MAX_DOMAIN_XML_BYTES }));
}

/** The test driver's post-parse defaults: arch i686, interface names `testnetN` (testDomainGenerateIfnames). */
export function completeTestDef(def: DomainDef): DomainDef {
  const os = def.os.arch === undefined ? { ...def.os, arch: TEST_DEFAULT_ARCH } : def.os;
  const interfaces = generateIfnames(def.devices.interfaces);
  if (os === def.os && interfaces === def.devices.interfaces) return def;
  return { ...def, os, devices: { ...def.devices, interfaces } };
}

function generateIfnames(nics: readonly InterfaceDef[]): readonly InterfaceDef[] {
  if (nics.every((n) => n.targetDev !== undefined)) return nics;
  const used = new Set(nics.map((n) => n.targetDev).filter((d): d is string => d !== undefined));
  return nics.map((nic) => {
    if (nic.targetDev !== undefined) return nic;
    let i = 0;
    while (used.has(`testnet${i}`)) i++;
    const name = `testnet${i}`;
    used.add(name);
    return { ...nic, targetDev: name };
  });
}
