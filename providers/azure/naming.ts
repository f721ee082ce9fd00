/**
 * Azure naming rules, as pure functions.
 * Storage accounts: 3–24 characters, lowercase letters and digits only, globally unique.
 * Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage
 * (read 2026-11-22). Container Apps: 2–32 lowercase letters, digits and single hyphens, starting
 * with a letter and ending with a letter or digit (same page, Microsoft.App).
 */
import { shortHash, slug } from "../../platform/core/naming";

export const STORAGE_ACCOUNT_MAX = 24;
export const CONTAINER_APP_MAX = 32;

/** `undefined` when `name` is a valid storage-account name, else the reason. */
export function checkStorageAccountName(name: string): string | undefined {
  if (name.length < 3 || name.length > STORAGE_ACCOUNT_MAX)
    return `must be 3–${STORAGE_ACCOUNT_MAX} characters (got ${name.length})`;
  if (!/^[a-z0-9]+$/.test(name)) return "may contain only lowercase letters and digits";
  return undefined;
}

/** `mp<slug without dashes><hash8>`, at most 24 characters; distinct for distinct `hashInput`s. */
export function storageAccountName(seed: string, hashInput: string): string {
  const hash = shortHash(hashInput, 8);
  const room = STORAGE_ACCOUNT_MAX - "mp".length - hash.length;
  const body = slug(seed).replace(/-/g, "").slice(0, room);
  return `mp${body}${hash}`;
}

/** `undefined` when `name` is a valid Container Apps (app or environment) name, else the reason. */
export function checkContainerAppName(name: string): string | undefined {
  if (!/^[a-z](?:[a-z0-9]|-(?!-)){0,30}[a-z0-9]$/.test(name)) {
    return `must be 2–${CONTAINER_APP_MAX} lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit`;
  }
  return undefined;
}

/** A Container Apps name: `<slug>-<hash6>`, at most 32 characters, starting with a letter. */
export function containerAppName(seed: string, hashInput: string): string {
  const hash = shortHash(hashInput, 6);
  const room = CONTAINER_APP_MAX - 1 - hash.length - 1;
  let body = slug(seed).replace(/-{2,}/g, "-").slice(0, room).replace(/-+$/, "");
  if (!/^[a-z]/.test(body)) body = `mp${body ? `-${body}` : ""}`.slice(0, room).replace(/-+$/, "");
  return `${body}-${hash}`;
}
