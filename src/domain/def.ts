/**
 * The domain definition: libvirt's domain XML as a typed object (docs/formatdomain.rst). What virtmon
 * understands is typed; everything else is kept as {@link XmlElement} trees and written back unchanged,
 * so format(parse(xml)) never silently drops an element. Memory sizes are KiB throughout.
 */

/** A generic XML element kept verbatim (unknown elements, `<metadata>` children). Attribute and
 * element names keep their namespace prefixes; `xmlns:*` declarations are ordinary attributes. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements and text, in document order. */
  readonly children: readonly XmlNode[];
}
/** A child of an {@link XmlElement}: an element or a text run. */
export type XmlNode = XmlElement | string;

/** What a typed element carries beyond the parts virtmon types: its other attributes and its children
 * (e.g. `<source name='pool/img'><host …/></source>` of an rbd disk, `<target …><model …/></target>` of a
 * serial). Kept so format(parse(xml)) drops nothing. */
export interface ElementRest {
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
/** {@link ElementRest} of typed elements. On a device: keyed by child element name (`driver`, `source`,
 * `target`, `alias` …). On the domain: keyed by path (`name`, `memory`, `vcpu`, `os`, `os/type`, `os/boot[2]`,
 * `devices`, `devices/emulator`, `metadata` …). Absent (not empty) when nothing was left over. */
export type RestMap = Readonly<Record<string, ElementRest>>;

/** `<domain type=…>`. `test` is virtmon's (and libvirt's) test driver. */
export type DomainType = 'kvm' | 'qemu' | 'test';

/** on_poweroff / on_reboot / on_crash actions (libvirt's virDomainLifecycleAction). */
export type LifecycleAction =
  | 'destroy'
  | 'restart'
  | 'rename-restart'
  | 'preserve'
  | 'coredump-destroy'
  | 'coredump-restart';

/** `<os>`. */
export interface OsDef {
  /** `<type>` text, e.g. `hvm`. */
  readonly type: string;
  readonly arch?: string;
  readonly machine?: string;
  readonly kernel?: string;
  readonly initrd?: string;
  readonly cmdline?: string;
  /** `<boot dev=…>` in order. */
  readonly boot: readonly string[];
  /** Unknown `<os>` children (loader, nvram, bootmenu, smbios …), kept verbatim. */
  readonly extra: readonly XmlElement[];
}

/** `<disk>`. */
export interface DiskDef {
  /** `@type`: file | block | network | volume | dir | nvme | vhostuser. */
  readonly type: string;
  /** `@device`: disk | cdrom | floppy | lun. */
  readonly device: string;
  readonly driver?: {
    readonly name?: string;
    readonly type?: string;
    readonly cache?: string;
    readonly discard?: string;
    readonly io?: string;
  };
  /** `source/@file` (type file), `source/@dev` (block) or `source/@dir` (dir); absent for an empty cdrom and
   * for network/volume/nvme disks (see sourceProtocol/sourceName; the rest of `<source>` is in `rest.source`). */
  readonly source?: string;
  /** `source/@protocol` for network disks. */
  readonly sourceProtocol?: string;
  /** `source/@name` for network disks (`pool/image` for rbd, the export for nbd). */
  readonly sourceName?: string;
  readonly target: { readonly dev: string; readonly bus?: string };
  readonly readonly: boolean;
  readonly shareable?: boolean;
  readonly serial?: string;
  /** `<alias name>` in live XML (`virtio-disk0`). */
  readonly alias?: string;
  /** Unknown attributes and children of `<disk>` kept verbatim (address, boot, iotune, backingStore …). */
  readonly extraAttrs: Readonly<Record<string, string>>;
  readonly extra: readonly XmlElement[];
  /** Untyped parts of the typed children (see {@link RestMap}). */
  readonly rest?: RestMap;
}

/** `<interface>`. */
export interface InterfaceDef {
  /** `@type`: user | ethernet | bridge | network | direct | … */
  readonly type: string;
  readonly mac?: string;
  /** `source/@bridge`, `source/@network` or `source/@dev` depending on type. */
  readonly source?: { readonly bridge?: string; readonly network?: string; readonly dev?: string; readonly mode?: string };
  readonly model?: string;
  /** Host-side device name (`<target dev>`), e.g. the tap. */
  readonly targetDev?: string;
  readonly mtu?: number;
  readonly alias?: string;
  readonly extraAttrs: Readonly<Record<string, string>>;
  readonly extra: readonly XmlElement[];
  /** Untyped parts of the typed children (see {@link RestMap}). */
  readonly rest?: RestMap;
}

/** `<memballoon>`. */
export interface MemballoonDef {
  /** virtio | xen | none. */
  readonly model: string;
  /** `<stats period>` seconds; absent = no guest stats polling. */
  readonly statsPeriod?: number;
  readonly autodeflate?: string;
  readonly alias?: string;
  readonly extra: readonly XmlElement[];
  /** Unknown attributes of `<memballoon>` (e.g. `freePageReporting`), verbatim. */
  readonly extraAttrs?: Readonly<Record<string, string>>;
  /** Untyped parts of the typed children (see {@link RestMap}). */
  readonly rest?: RestMap;
}

/** `<serial>` / `<console>`. */
export interface CharDeviceDef {
  /** pty | file | unix | tcp | null | stdio … */
  readonly type: string;
  /** `source/@path` (file, unix, pty). */
  readonly sourcePath?: string;
  readonly targetType?: string;
  readonly targetPort?: number;
  readonly alias?: string;
  readonly extraAttrs: Readonly<Record<string, string>>;
  readonly extra: readonly XmlElement[];
  /** Untyped parts of the typed children (see {@link RestMap}). */
  readonly rest?: RestMap;
}

/** `<graphics>`. */
export interface GraphicsDef {
  /** vnc | spice | sdl | rdp | desktop | egl-headless | dbus. */
  readonly type: string;
  readonly port?: number;
  readonly autoport?: boolean;
  readonly listen?: string;
  readonly extraAttrs: Readonly<Record<string, string>>;
  readonly extra: readonly XmlElement[];
}

/** `<devices>`. */
export interface DevicesDef {
  readonly emulator?: string;
  readonly disks: readonly DiskDef[];
  readonly interfaces: readonly InterfaceDef[];
  readonly memballoon?: MemballoonDef;
  readonly serials: readonly CharDeviceDef[];
  readonly consoles: readonly CharDeviceDef[];
  readonly graphics: readonly GraphicsDef[];
  /** Every other device (controller, input, video, channel, rng, sound, hostdev …), kept verbatim in order. */
  readonly other: readonly XmlElement[];
}

/** A whole domain definition. */
export interface DomainDef {
  readonly type: DomainType;
  readonly name: string;
  /** Canonical lowercase dashed UUID (generated at parse time when absent). */
  readonly uuid: string;
  readonly title?: string;
  readonly description?: string;
  /** Children of `<metadata>`, verbatim with their namespace declarations (OpenStack nova etc.). */
  readonly metadata: readonly XmlElement[];
  /** `<memory>`: maximum memory at boot, KiB. */
  readonly memoryKiB: number;
  /** `<currentMemory>`: balloon target at boot, KiB (defaults to memory). */
  readonly currentMemoryKiB: number;
  /** `<maxMemory slots=…>`: hotplug ceiling, KiB. */
  readonly maxMemory?: { readonly kib: number; readonly slots: number };
  /** `<vcpu current=…>N</vcpu>`. */
  readonly vcpu: { readonly max: number; readonly current: number; readonly placement?: string; readonly cpuset?: string };
  readonly os: OsDef;
  readonly onPoweroff: LifecycleAction;
  readonly onReboot: LifecycleAction;
  readonly onCrash: LifecycleAction;
  readonly devices: DevicesDef;
  /** Unknown top-level elements (cpu, features, clock, pm, seclabel, resource, driver namespaces …) verbatim. */
  readonly extra: readonly XmlElement[];
  /** Unknown attributes of `<domain>` (e.g. `xmlns:qemu`), verbatim. */
  readonly extraAttrs: Readonly<Record<string, string>>;
  /** Untyped parts of typed elements, keyed by path (see {@link RestMap}). */
  readonly rest?: RestMap;
}
