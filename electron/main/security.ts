/**
 * The Electron main process's security decisions as pure functions (no Electron import), so they
 * are unit-tested here where Electron cannot run: permission requests and checks are denied by
 * default; how the marketplace session is protected is said as it is (a Linux machine without a
 * keychain gets safeStorage's basic_text backend, which is obfuscation, not the OS keychain).
 */

export const APP_ORIGIN = 'app://studio';

/**
 * The only permission the studio's own page uses: writing plain text to the clipboard (the
 * Purchases screen's "copy license key"). Everything else — camera, microphone, geolocation,
 * notifications, MIDI, HID/USB/serial, file system, openExternal, fullscreen… — is denied.
 */
const ALLOWED_FOR_APP = new Set(['clipboard-sanitized-write']);

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    // `app://studio` has a standard-scheme origin in Electron; URL gives 'null' for unknown schemes.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** session.setPermissionRequestHandler: grant only the allowlist, only to the app's own main frame. */
export function allowPermissionRequest(permission: string, details: { requestingUrl?: string; isMainFrame: boolean }): boolean {
  return ALLOWED_FOR_APP.has(permission) && details.isMainFrame && originOf(details.requestingUrl) === APP_ORIGIN;
}

/** session.setPermissionCheckHandler: the same rule, for the synchronous checks (navigator.permissions, clipboard). */
export function allowPermissionCheck(
  permission: string,
  requestingOrigin: string,
  details: { isMainFrame: boolean; embeddingOrigin?: string },
): boolean {
  if (!ALLOWED_FOR_APP.has(permission) || !details.isMainFrame) return false;
  return (
    originOf(requestingOrigin) === APP_ORIGIN && (details.embeddingOrigin === undefined || originOf(details.embeddingOrigin) === APP_ORIGIN)
  );
}

export type LinuxStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface SecretProtection {
  /** False when safeStorage would not really protect the session (no keychain). */
  keychain: boolean;
  /** Shown on the Account screen: how the marketplace session is kept. */
  label: string;
}

/** How Electron's safeStorage protects the session on this machine, in words that are true. */
export function secretProtection(
  platform: NodeJS.Platform,
  encryptionAvailable: boolean,
  linuxBackend?: LinuxStorageBackend,
): SecretProtection {
  if (!encryptionAvailable)
    return { keychain: false, label: 'not stored: no OS keychain is available, so you sign in again after each start' };
  if (platform === 'darwin') return { keychain: true, label: 'encrypted with the macOS Keychain (Electron safeStorage)' };
  if (platform === 'win32') return { keychain: true, label: 'encrypted with Windows DPAPI (Electron safeStorage)' };
  if (linuxBackend === 'basic_text' || linuxBackend === 'unknown' || linuxBackend === undefined)
    return {
      keychain: false,
      label:
        'only obfuscated: no Secret Service or KWallet keychain was found, so Electron safeStorage uses its basic_text backend (a fixed key); the file is owner-only (0600)',
    };
  const name = linuxBackend === 'gnome_libsecret' ? 'the Secret Service keychain (libsecret)' : `KWallet (${linuxBackend})`;
  return { keychain: true, label: `encrypted with ${name} (Electron safeStorage)` };
}
