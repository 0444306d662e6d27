/**
 * Persistent definitions on disk (libvirt's /etc/libvirt/qemu/NAME.xml and autostart/NAME.xml links):
 * written atomically, loaded at open(). A file that does not parse is logged and skipped, never fatal:
 * one bad definition must not hide the others.
 */
import { access, mkdir, readFile, readdir, readlink, symlink } from 'node:fs/promises';
import type { DomainDef } from '../../domain/def.ts';
import type { Logger } from '../../domain/logger.ts';
import { formatDomainXml } from '../../domain/xml-format.ts';
import { removeFile, syncDir, writeFileAtomic } from './atomic-file.ts';
import { parseQemuDomainXml } from './definitions.ts';
import type { QemuPaths } from './settings.ts';

/** A definition loaded from the config directory. */
export interface LoadedConfig {
  readonly def: DomainDef;
  readonly autostart: boolean;
  readonly managedSave: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads and writes persistent definitions. */
export class ConfigStore {
  readonly #paths: QemuPaths;
  readonly #log: Logger;

  constructor(paths: QemuPaths, logger: Logger) {
    this.#paths = paths;
    this.#log = logger;
  }

  /** Makes the directories the driver writes to. */
  async ensureDirs(): Promise<void> {
    for (const dir of [this.#paths.configDir, this.#paths.autostartDir, this.#paths.saveDir, this.#paths.runDir, this.#paths.logDir]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
  }

  /** Writes a definition (atomically). */
  async save(def: DomainDef): Promise<void> {
    await writeFileAtomic(this.#paths.configFile(def.name), formatDomainXml(def));
  }

  /** Removes a definition and its autostart link. */
  async remove(name: string): Promise<void> {
    await removeFile(this.#paths.autostartLink(name));
    await removeFile(this.#paths.configFile(name));
    await syncDir(this.#paths.configDir);
  }

  /** Creates or removes the autostart link. */
  async setAutostart(name: string, on: boolean): Promise<void> {
    const link = this.#paths.autostartLink(name);
    await removeFile(link);
    if (on) await symlink(this.#paths.configFile(name), link);
    await syncDir(this.#paths.autostartDir);
  }

  /** Every definition in the config directory. */
  async loadAll(): Promise<LoadedConfig[]> {
    let names: string[];
    try {
      names = (await readdir(this.#paths.configDir)).filter((n) => n.endsWith('.xml')).sort();
    } catch {
      return [];
    }
    const out: LoadedConfig[] = [];
    for (const file of names) {
      const path = `${this.#paths.configDir}/${file}`;
      try {
        const def = parseQemuDomainXml(await readFile(path, 'utf8'));
        if (`${def.name}.xml` !== file) {
          this.#log.warn({ file: path, name: def.name }, 'definition file name does not match the domain name; skipped');
          continue;
        }
        const link = this.#paths.autostartLink(def.name);
        const autostart = await readlink(link).then(() => exists(link), () => false);
        out.push({ def, autostart, managedSave: await exists(this.#paths.managedSaveFile(def.name)) });
      } catch (err) {
        this.#log.error({ err, file: path }, 'failed to load domain definition; skipped');
      }
    }
    return out;
  }
}
