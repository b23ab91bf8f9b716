/**
 * The Electron main process's security decisions, tested as pure functions (Electron cannot run
 * on these machines): permissions denied by default, the session's protection described truthfully
 * (basic_text is not a keychain), and the packaged build's fuses set and accepted by
 * electron-builder's own configuration schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { allowPermissionCheck, allowPermissionRequest, secretProtection } from '../../electron/main/security.ts';

const require = createRequire(import.meta.url);

const PERMISSIONS = [
  'clipboard-read',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
  'hid',
  'serial',
  'usb',
];

describe('permission handlers', () => {
  it('deny every permission request and check, from the app itself too', () => {
    for (const p of PERMISSIONS) {
      expect([p, allowPermissionRequest(p, { requestingUrl: 'app://studio/index.html', isMainFrame: true })]).toEqual([p, false]);
      expect([p, allowPermissionCheck(p, 'app://studio', { isMainFrame: true })]).toEqual([p, false]);
    }
  });

  it('allow only clipboard writes, and only to the app’s own main frame', () => {
    const w = 'clipboard-sanitized-write';
    expect(allowPermissionRequest(w, { requestingUrl: 'app://studio/index.html', isMainFrame: true })).toBe(true);
    expect(allowPermissionRequest(w, { requestingUrl: 'app://studio/index.html', isMainFrame: false })).toBe(false);
    expect(allowPermissionRequest(w, { requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(allowPermissionRequest(w, { requestingUrl: 'app://studio.evil/x', isMainFrame: true })).toBe(false);
    expect(allowPermissionRequest(w, { isMainFrame: true })).toBe(false);
    expect(allowPermissionCheck(w, 'app://studio', { isMainFrame: true, embeddingOrigin: 'app://studio' })).toBe(true);
    expect(allowPermissionCheck(w, 'app://studio', { isMainFrame: true, embeddingOrigin: 'https://evil.example' })).toBe(false);
    expect(allowPermissionCheck(w, 'https://evil.example', { isMainFrame: true })).toBe(false);
  });
});

describe('session protection', () => {
  it('says basic_text is obfuscation, not the OS keychain', () => {
    const basic = secretProtection('linux', true, 'basic_text');
    expect(basic.keychain).toBe(false);
    expect(basic.label).toMatch(/only obfuscated.*basic_text/);
    expect(basic.label).not.toMatch(/encrypted with/);
    expect(secretProtection('linux', true, 'gnome_libsecret')).toEqual({ keychain: true, label: expect.stringContaining('libsecret') });
    expect(secretProtection('linux', true, 'kwallet6').label).toContain('KWallet (kwallet6)');
    expect(secretProtection('darwin', true).label).toContain('macOS Keychain');
    expect(secretProtection('win32', true).label).toContain('DPAPI');
    expect(secretProtection('linux', false, 'basic_text').keychain).toBe(false);
  });
});

describe('packaged build', () => {
  it('sets the Electron fuses, and electron-builder’s schema accepts the configuration', async () => {
    const yaml = require('js-yaml') as { load(s: string): Record<string, unknown> };
    const cfg = yaml.load(readFileSync('electron-builder.yml', 'utf8'));
    expect(cfg.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(cfg, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ electronFuses: { runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration/,
    );
  });
});
