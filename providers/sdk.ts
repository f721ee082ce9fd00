/**
 * The cloud SDKs, loaded on first use (issue 11, memory). `@pulumi/aws`, `@pulumi/gcp` and
 * `@pulumi/azure-native` are large: a process that only reads provider facts (the API server
 * validating a footprint, pricing a spec) must not hold them. Each export stands for its module
 * and loads it the first time a property is read (a resource constructed, an enum read), i.e. only
 * where a program or a plan creates resources.
 *
 * Provider files import the SDKs from here, never from the packages (./sdk.test.ts checks).
 * In type positions use the `*Types` namespaces (type-only, erased).
 */
import { createRequire } from "node:module";
import type * as AwsModule from "@pulumi/aws";
import type * as GcpModule from "@pulumi/gcp";
import type * as AzureModule from "@pulumi/azure-native";
import type * as AppModule from "@pulumi/azure-native/app";
import type * as AuthorizationModule from "@pulumi/azure-native/authorization";
import type * as ContainerServiceModule from "@pulumi/azure-native/containerservice";
import type * as DbForPostgresqlModule from "@pulumi/azure-native/dbforpostgresql";
import type * as KeyVaultModule from "@pulumi/azure-native/keyvault";
import type * as ManagedIdentityModule from "@pulumi/azure-native/managedidentity";
import type * as NetworkModule from "@pulumi/azure-native/network";
import type * as PrivateDnsModule from "@pulumi/azure-native/privatedns";
import type * as ResourcesModule from "@pulumi/azure-native/resources";
import type * as StorageModule from "@pulumi/azure-native/storage";

export type * as AwsTypes from "@pulumi/aws";
export type * as GcpTypes from "@pulumi/gcp";

const load = createRequire(__filename);

/** A stand-in for module `id` that requires it on the first property read. */
export function lazyModule<T extends object>(id: string): T {
  let real: T | undefined;
  const target = (): T => (real ??= load(id) as T);
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(target(), key) as unknown,
    has: (_t, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}

export const aws = lazyModule<typeof AwsModule>("@pulumi/aws");
export const gcp = lazyModule<typeof GcpModule>("@pulumi/gcp");
export const azure = lazyModule<typeof AzureModule>("@pulumi/azure-native");
export const app = lazyModule<typeof AppModule>("@pulumi/azure-native/app");
export const authorization = lazyModule<typeof AuthorizationModule>("@pulumi/azure-native/authorization");
export const containerservice = lazyModule<typeof ContainerServiceModule>("@pulumi/azure-native/containerservice");
export const dbforpostgresql = lazyModule<typeof DbForPostgresqlModule>("@pulumi/azure-native/dbforpostgresql");
export const keyvault = lazyModule<typeof KeyVaultModule>("@pulumi/azure-native/keyvault");
export const managedidentity = lazyModule<typeof ManagedIdentityModule>("@pulumi/azure-native/managedidentity");
export const network = lazyModule<typeof NetworkModule>("@pulumi/azure-native/network");
export const privatedns = lazyModule<typeof PrivateDnsModule>("@pulumi/azure-native/privatedns");
export const resources = lazyModule<typeof ResourcesModule>("@pulumi/azure-native/resources");
export const storage = lazyModule<typeof StorageModule>("@pulumi/azure-native/storage");
