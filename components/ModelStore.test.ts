import * as assert from "node:assert/strict";
import { ValidationError } from "../platform/core/validation";
import type { ModelStoreArgs } from "./ModelStore";
import { awsStore } from "../providers/aws/store";
import { checkS3BucketName } from "../providers/aws/naming";
import { checkGcsBucketName } from "../providers/gcp/naming";
import { checkStorageAccountName } from "../providers/azure/naming";
import {
  arr,
  childRecorder,
  installMocks,
  obj,
  one as oneOf,
  settle,
  valueOf,
  type Obj,
  type Registered,
} from "./testing/pulumiMocks";

const SUB = "00000000-1111-2222-3333-444444444444";

/** Outputs the clouds would compute, for the types the store registers. */
function computed(type: string, name: string, inputs: Obj): Obj {
  if (type.startsWith("azure-native:")) {
    const id = `/subscriptions/${SUB}/resourceGroups/rg-mock/providers/${type}/${name}`;
    if (type === "azure-native:managedidentity:UserAssignedIdentity")
      return { id, principalId: `principal-${name}`, clientId: `client-${name}` };
    return { id, name: inputs["accountName"] ?? inputs["containerName"] ?? `${name}1a2b` };
  }
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return { arn: `arn:aws:s3:::${String(inputs["bucket"])}` };
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::123456789012:policy/${String(inputs["name"])}` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::123456789012:role/${String(inputs["name"])}` };
    case "gcp:serviceaccount/account:Account":
      return { email: `${String(inputs["accountId"])}@mock-project.iam.gserviceaccount.com` };
    default:
      return {};
  }
}

const LONG_ODD = "Meta_Llama_3.1_70B_Instruct__AWQ_INT4_Quantized_Model_ver_42";

describe("ModelStore planning (pure)", () => {
  let mod: typeof import("./ModelStore");
  before(async () => {
    mod = await import("./ModelStore");
  });

  it("defaults tiering to 30 / 180 days, noncurrent versions 30, multipart abort 7", () => {
    assert.deepEqual(mod.planTiering(), {
      coolAfterDays: 30,
      coldAfterDays: 180,
      noncurrentVersionExpirationDays: 30,
      abortIncompleteUploadDays: 7,
    });
    assert.deepEqual(mod.planTiering({ coolAfterDays: 0, coldAfterDays: null }).coldAfterDays, null);
  });

  it("rejects negative, fractional and out-of-order tiering days, naming the argument", () => {
    const cases: Array<[ModelStoreArgs["tiering"], string]> = [
      [{ coolAfterDays: -1 }, "tiering.coolAfterDays"],
      [{ coolAfterDays: 1.5 }, "tiering.coolAfterDays"],
      [{ coldAfterDays: -30 }, "tiering.coldAfterDays"],
      [{ coolAfterDays: 90, coldAfterDays: 60 }, "tiering.coldAfterDays"],
      [{ noncurrentVersionExpirationDays: 0 }, "tiering.noncurrentVersionExpirationDays"],
      [{ abortIncompleteUploadDays: -7 }, "tiering.abortIncompleteUploadDays"],
    ];
    for (const [tiering, field] of cases) {
      assert.throws(
        () => mod.planTiering(tiering),
        (e: unknown) => e instanceof ValidationError && e.field === field && e.message.startsWith(`${field}: `),
        JSON.stringify(tiering),
      );
    }
  });

  it("rejects an unknown cloud, a missing region, a bad explicit name and a bad container, naming each", () => {
    const base: ModelStoreArgs = { cloud: "aws", region: "us-east-1" };
    const bad: Array<[ModelStoreArgs, string, RegExp]> = [
      [
        { ...base, cloud: "ibm" as unknown as ModelStoreArgs["cloud"] },
        "cloud",
        /"ibm" is not a supported cloud; use one of aws, gcp, azure/,
      ],
      [{ ...base, region: " " }, "region", /required/],
      [{ ...base, storageName: "Not_Valid" }, "storageName", /not valid on aws: may contain only lowercase/],
      [{ ...base, container: "Models!" }, "container", /lowercase letters/],
      [{ ...base, storeName: "" }, "storeName", /empty/],
    ];
    for (const [args, field, message] of bad) {
      assert.throws(
        () => mod.planModelStore("s", args, awsStore, "org/p/s"),
        (e: unknown) => e instanceof ValidationError && e.field === field && message.test(e.message),
        field,
      );
    }
  });

  it("derives the storage name from storeName and the namespace, and merges the cost tags", () => {
    const plan = mod.planModelStore(
      "store",
      {
        cloud: "aws",
        region: "us-east-1",
        storeName: "Llama_3",
        model: "llama-3",
        owner: "ml",
        costCenter: "cc-1",
        tags: { env: "dev" },
      },
      awsStore,
      "org/p/dev",
    );
    const other = mod.planModelStore(
      "store",
      { cloud: "aws", region: "us-east-1", storeName: "llama-3" },
      awsStore,
      "org/p/dev",
    );
    const otherStack = mod.planModelStore(
      "store",
      { cloud: "aws", region: "us-east-1", storeName: "Llama_3" },
      awsStore,
      "org/p/prod",
    );
    assert.match(plan.storageName, /^mp-llama-3-[0-9a-f]{8}$/);
    assert.notEqual(plan.storageName, other.storageName);
    assert.notEqual(plan.storageName, otherStack.storageName);
    assert.deepEqual(plan.tags, {
      "cost-center": "cc-1",
      env: "dev",
      "managed-by": "modelplane",
      model: "llama-3",
      owner: "ml",
    });
    assert.equal(plan.container, "models");
  });
});

describe("ModelStore (mocks)", () => {
  let registered: Registered[];
  let mod: typeof import("./ModelStore");
  let recorder: ReturnType<typeof childRecorder>;

  before(async () => {
    registered = await installMocks({ state: computed });
    recorder = childRecorder(registered);
    mod = await import("./ModelStore");
  });
  beforeEach(() => {
    registered.length = 0;
    recorder.clear();
  });

  async function build(name: string, args: ModelStoreArgs) {
    const store = new mod.ModelStore(name, args, recorder.opts);
    const [uri, storageName, identity, clientId, grant] = await Promise.all([
      valueOf(store.uri),
      valueOf(store.storageName),
      valueOf(store.access.identity),
      valueOf(store.access.clientId),
      valueOf(store.access.grant),
    ]);
    await settle(registered);
    return { store, uri, storageName, identity, clientId, grant, children: recorder.children(name, store) };
  }
  const one = (type: string): Registered => oneOf(registered, type);

  it("aws: a private, versioned, SSE-KMS bucket with lifecycle tiering and a read-only Pod Identity role", async () => {
    const { uri, storageName, identity, clientId, grant, children } = await build("models", {
      cloud: "aws",
      region: "us-west-2",
      storeName: LONG_ODD,
      model: "llama",
      owner: "ml",
      costCenter: "cc-9",
      tiering: {
        coolAfterDays: 14,
        coldAfterDays: 120,
        noncurrentVersionExpirationDays: 10,
        abortIncompleteUploadDays: 3,
      },
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "aws:iam/policy:Policy",
      "aws:iam/role:Role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning",
    ]);
    assert.ok(!registered.some((r) => /V2:/.test(r.type)), "no deprecated V2 types");
    const bucket = one("aws:s3/bucket:Bucket");
    assert.equal(checkS3BucketName(String(bucket.inputs["bucket"])), undefined);
    assert.equal(bucket.inputs["region"], "us-west-2");
    assert.equal(storageName, bucket.inputs["bucket"]);
    assert.equal(uri, `s3://${storageName}/models`);
    assert.deepEqual(
      ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map(
        (k) => one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs[k],
      ),
      [true, true, true, true],
    );
    assert.deepEqual(one("aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"], {
      status: "Enabled",
    });
    assert.deepEqual(
      one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"],
      [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    );
    const rules = arr(one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]).map(obj);
    const byId = new Map(rules.map((r) => [r["id"], r]));
    // Tiered by access (#14): Intelligent-Tiering from day 0, no age-based Glacier.
    assert.deepEqual(obj(byId.get("tiering"))["transitions"], [{ days: 0, storageClass: "INTELLIGENT_TIERING" }]);
    assert.deepEqual(obj(byId.get("noncurrent-versions"))["noncurrentVersionExpiration"], { noncurrentDays: 10 });
    assert.deepEqual(obj(byId.get("abort-incomplete-uploads"))["abortIncompleteMultipartUpload"], {
      daysAfterInitiation: 3,
    });
    for (const r of rules) assert.equal(r["status"], "Enabled");

    const policyDoc = JSON.parse(String(one("aws:iam/policy:Policy").inputs["policy"])) as {
      Statement: Array<{ Action: string[]; Resource: string }>;
    };
    const actions = policyDoc.Statement.flatMap((s) => s.Action).sort();
    assert.deepEqual(actions, ["s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]);
    assert.deepEqual(
      policyDoc.Statement.map((s) => s.Resource),
      [`arn:aws:s3:::${storageName}`, `arn:aws:s3:::${storageName}/*`],
    );
    const trust = JSON.parse(String(one("aws:iam/role:Role").inputs["assumeRolePolicy"])) as {
      Statement: Array<{ Principal: { Service: string } }>;
    };
    assert.equal(trust.Statement[0]?.Principal.Service, "pods.eks.amazonaws.com");
    assert.match(identity, /^arn:aws:iam::123456789012:role\/mp-models-/);
    assert.equal(clientId, identity);
    assert.match(grant, /^arn:aws:iam::123456789012:policy\//);
    for (const type of ["aws:s3/bucket:Bucket", "aws:iam/policy:Policy", "aws:iam/role:Role"]) {
      assert.deepEqual(
        one(type).inputs["tags"],
        { "cost-center": "cc-9", "managed-by": "modelplane", model: "llama", owner: "ml" },
        type,
      );
    }
  });

  it("gcp: a uniform-access, public-access-prevented, versioned bucket with lifecycle rules and an objectViewer service account", async () => {
    const { uri, storageName, identity, clientId, grant, children } = await build("gstore", {
      cloud: "gcp",
      region: "us-central1",
      storeName: "Google_Gemma 2 9B",
      project: "proj-1",
      owner: "ML Team",
      tags: { "Cost Center": "CC/9" },
      tiering: { coldAfterDays: null },
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "gcp:serviceaccount/account:Account",
      "gcp:storage/bucket:Bucket",
      "gcp:storage/bucketIAMMember:BucketIAMMember",
    ]);
    const bucket = one("gcp:storage/bucket:Bucket");
    assert.equal(checkGcsBucketName(String(bucket.inputs["name"])), undefined);
    assert.equal(uri, `gs://${storageName}/models`);
    assert.equal(bucket.inputs["uniformBucketLevelAccess"], true);
    assert.equal(bucket.inputs["publicAccessPrevention"], "enforced");
    assert.deepEqual(bucket.inputs["versioning"], { enabled: true });
    assert.equal(bucket.inputs["location"], "us-central1");
    assert.equal(bucket.inputs["project"], "proj-1");
    const rules = arr(bucket.inputs["lifecycleRules"]).map(obj);
    // Tiered by access (#14): Autoclass, no age-based SetStorageClass rule.
    assert.deepEqual(bucket.inputs["autoclass"], { enabled: true, terminalStorageClass: "NEARLINE" });
    assert.deepEqual(
      rules.map((r) => obj(r["action"])),
      [{ type: "Delete" }, { type: "AbortIncompleteMultipartUpload" }],
    );
    assert.equal(obj(rules[0]?.["condition"])["daysSinceNoncurrentTime"], 30);
    assert.equal(obj(rules[1]?.["condition"])["age"], 7);
    assert.deepEqual(bucket.inputs["labels"], { cost_center: "cc_9", "managed-by": "modelplane", owner: "ml_team" });
    const member = one("gcp:storage/bucketIAMMember:BucketIAMMember");
    assert.equal(member.inputs["role"], "roles/storage.objectViewer");
    assert.equal(member.inputs["member"], `serviceAccount:${identity}`);
    assert.match(identity, /^mp-[a-z0-9-]+@mock-project\.iam\.gserviceaccount\.com$/);
    assert.equal(clientId, identity);
    assert.equal(grant, "gstore-reader-grant-id");
  });

  it("azure: a locked-down StorageV2 account, versioned blobs, a private container, Cool/Cold tiering and a Blob Data Reader identity", async () => {
    const { uri, storageName, identity, clientId, grant, children } = await build("astore", {
      cloud: "azure",
      region: "eastus",
      storeName: LONG_ODD,
      owner: "ml",
      tiering: { coolAfterDays: 45, coldAfterDays: 200, noncurrentVersionExpirationDays: 20 },
    });
    assert.deepEqual(children.map((c) => c.type).sort(), [
      "azure-native:authorization:RoleAssignment",
      "azure-native:managedidentity:UserAssignedIdentity",
      "azure-native:resources:ResourceGroup",
      "azure-native:storage:BlobContainer",
      "azure-native:storage:BlobServiceProperties",
      "azure-native:storage:ManagementPolicy",
      "azure-native:storage:StorageAccount",
    ]);
    const account = one("azure-native:storage:StorageAccount");
    assert.equal(checkStorageAccountName(String(account.inputs["accountName"])), undefined);
    assert.equal(storageName, account.inputs["accountName"]);
    assert.equal(uri, `https://${storageName}.blob.core.windows.net/models`);
    assert.equal(account.inputs["kind"], "StorageV2");
    assert.equal(account.inputs["allowBlobPublicAccess"], false);
    assert.equal(account.inputs["allowSharedKeyAccess"], false);
    assert.equal(account.inputs["enableHttpsTrafficOnly"], true);
    assert.equal(account.inputs["minimumTlsVersion"], "TLS1_2");
    assert.deepEqual(obj(obj(obj(account.inputs["encryption"])["services"])["blob"]), {
      enabled: true,
      keyType: "Account",
    });
    assert.equal(one("azure-native:storage:BlobServiceProperties").inputs["isVersioningEnabled"], true);
    assert.equal(
      obj(one("azure-native:storage:BlobServiceProperties").inputs["lastAccessTimeTrackingPolicy"])["enable"],
      true,
      "tiering by last access needs access tracking",
    );
    assert.equal(one("azure-native:storage:BlobContainer").inputs["publicAccess"], "None");
    const rule = obj(arr(obj(one("azure-native:storage:ManagementPolicy").inputs["policy"])["rules"])[0]);
    const definition = obj(rule["definition"]);
    assert.deepEqual(obj(definition["filters"]), { blobTypes: ["blockBlob"], prefixMatch: ["models/"] });
    assert.deepEqual(obj(definition["actions"]), {
      baseBlob: {
        tierToCool: { daysAfterLastAccessTimeGreaterThan: 45 },
        enableAutoTierToHotFromCool: true,
        tierToCold: { daysAfterLastAccessTimeGreaterThan: 200 },
      },
      version: { delete: { daysAfterCreationGreaterThan: 20 } },
    });
    const assignment = one("azure-native:authorization:RoleAssignment");
    assert.equal(
      assignment.inputs["roleDefinitionId"],
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
    );
    assert.equal(assignment.inputs["principalId"], "principal-astore-reader");
    assert.match(String(assignment.inputs["scope"]), /storage:BlobContainer\/astore-container$/);
    assert.match(identity, /UserAssignedIdentity\/astore-reader$/);
    assert.equal(clientId, "client-astore-reader");
    assert.match(grant, /RoleAssignment\/astore-reader-grant$/);
    for (const type of [
      "azure-native:storage:StorageAccount",
      "azure-native:resources:ResourceGroup",
      "azure-native:managedidentity:UserAssignedIdentity",
    ]) {
      assert.deepEqual(one(type).inputs["tags"], { "managed-by": "modelplane", owner: "ml" }, type);
    }
  });

  it("azure: uses an existing resource group instead of creating one", async () => {
    await build("astore2", { cloud: "azure", region: "eastus", resourceGroupName: "rg-platform" });
    assert.ok(!registered.some((r) => r.type === "azure-native:resources:ResourceGroup"));
    assert.equal(one("azure-native:storage:StorageAccount").inputs["resourceGroupName"], "rg-platform");
  });

  it("throws for bad args before registering any cloud resource", () => {
    assert.throws(
      () => new mod.ModelStore("bad", { cloud: "gcp", region: "us-central1", tiering: { coolAfterDays: -5 } }),
      /^ValidationError: tiering\.coolAfterDays: -5 is not a whole number of days ≥ 0$/,
    );
    assert.throws(
      () => new mod.ModelStore("bad", { cloud: "oracle" as unknown as ModelStoreArgs["cloud"], region: "x" }),
      /cloud: "oracle" is not a supported cloud/,
    );
  });
});
