/**
 * ServerlessEndpoint on AWS. AWS sells no serverless GPU (SageMaker Serverless Inference is
 * CPU-only), so modelplane builds the closest scale-to-zero equivalent: a SageMaker ASYNCHRONOUS
 * inference endpoint on a GPU instance whose instance count Application Auto Scaling takes to 0
 * when the queue is empty and back to 1 when requests wait.
 *
 * Facts (read 2026-11-22):
 * - Async endpoints may scale to 0; scale out from 0 with a step policy on the
 *   `HasBacklogWithoutCapacity` metric, scale with a target on `ApproximateBacklogSizePerInstance`
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html).
 * - SageMaker runs the container with `serve`, expects port 8080 and `/ping` + `/invocations`,
 *   and pulls images from Amazon ECR (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
 * - vLLM's SageMaker image (Dockerfile target `vllm-sagemaker`, and AWS's vLLM Deep Learning
 *   Container) turns every `SM_VLLM_<FLAG>` variable into `--<flag>` and serves on 8080
 *   (https://github.com/vllm-project/vllm/blob/main/examples/online_serving/sagemaker-entrypoint.sh).
 * - Uncompressed model data (`S3Prefix`, `compressionType: None`) is copied to /opt/ml/model.
 * - Instance shapes: https://aws.amazon.com/sagemaker/pricing/ (instance details).
 */
import { aws } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../../platform/core/validation";
import type { ServerlessPlan, ServerlessProvider, ServerlessResult, ServerlessSku } from "../types/serverless";
import { iamName, sagemakerName } from "./naming";

const SOURCE = "https://aws.amazon.com/sagemaker/pricing/ (read 2026-11-22)";
const sm = (
  sku: string,
  gpuType: ServerlessSku["gpuType"],
  gpuCount: number,
  vcpus: number,
  memoryGiB: number,
): ServerlessSku => ({ product: "sagemaker-async", sku, gpuType, gpuCount, vcpus, memoryGiB, source: SOURCE });

/** GPU instance types a SageMaker async endpoint can run on, smallest first per GPU and count. */
export const SAGEMAKER_ASYNC_SKUS: readonly ServerlessSku[] = [
  sm("ml.g4dn.xlarge", "T4", 1, 4, 16),
  sm("ml.g4dn.12xlarge", "T4", 4, 48, 192),
  sm("ml.g5.xlarge", "A10G", 1, 4, 16),
  sm("ml.g5.12xlarge", "A10G", 4, 48, 192),
  sm("ml.g5.48xlarge", "A10G", 8, 192, 768),
  sm("ml.g6.xlarge", "L4", 1, 4, 16),
  sm("ml.g6.12xlarge", "L4", 4, 48, 192),
  sm("ml.g6.48xlarge", "L4", 8, 192, 768),
  sm("ml.g6e.xlarge", "L40S", 1, 4, 32),
  sm("ml.g6e.12xlarge", "L40S", 4, 48, 384),
  sm("ml.g6e.48xlarge", "L40S", 8, 192, 1536),
  sm("ml.p4d.24xlarge", "A100", 8, 96, 1152),
  sm("ml.p4de.24xlarge", "A100-80GB", 8, 96, 1152),
  sm("ml.p5.48xlarge", "H100", 8, 192, 2048),
];

/** Where SageMaker copies uncompressed model data. */
export const SAGEMAKER_MODEL_DIR = "/opt/ml/model";
export const SAGEMAKER_PORT = 8080;
const VARIANT = "AllTraffic";
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/.+/;
/** Flags the SageMaker entrypoint sets itself. */
const ENTRYPOINT_FLAGS = new Set(["--host", "--port"]);

/**
 * `["--model", "/opt/ml/model", "--enforce-eager"]` → `{ SM_VLLM_MODEL: "/opt/ml/model",
 * SM_VLLM_ENFORCE_EAGER: "" }`, dropping `--host`/`--port` (the entrypoint binds 8080). Pure;
 * throws naming `args` for a token that is not a `--flag` or its value.
 */
export function sagemakerServerEnv(args: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? "";
    if (!/^--[a-z0-9][a-z0-9-]*(=.*)?$/.test(token)) {
      throw new ValidationError(
        `args[${i}]`,
        `"${token}" is not a --flag; on aws the server arguments become SM_VLLM_* variables, so pass only --flag [value] pairs`,
      );
    }
    const eq = token.indexOf("=");
    const flag = eq >= 0 ? token.slice(0, eq) : token;
    let value = eq >= 0 ? token.slice(eq + 1) : "";
    const next = args[i + 1];
    if (eq < 0 && next !== undefined && !next.startsWith("--")) {
      value = next;
      i++;
    }
    if (ENTRYPOINT_FLAGS.has(flag)) continue;
    env[`SM_VLLM_${flag.slice(2).toUpperCase().replace(/-/g, "_")}`] = value;
  }
  return env;
}

/** `s3://bucket/a/b/` → `{ bucket, prefix: "a/b" }`. Throws naming `field` otherwise. Pure. */
export function parseS3Uri(uri: string, field = "modelUri"): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !m[1]) throw new ValidationError(field, `"${uri}" is not an s3://<bucket>/<prefix> URI`);
  return { bucket: m[1], prefix: (m[2] ?? "").replace(/\/+$/, "") };
}

/** Default async I/O location: `s3://<model bucket>/async/<name>` (inputs under `/input/`, results under `/output/`). Pure. */
export function asyncPrefix(modelUri: string, name: string): string {
  return `s3://${parseS3Uri(modelUri).bucket}/async/${name}`;
}

/**
 * The execution role's inline policy: pull from ECR, write logs and metrics, read async inputs
 * and write results under `asyncUri`, and (without a ModelStore grant) read the model prefix. Pure.
 */
export function executionPolicy(asyncUri: string, modelUri: string | undefined): string {
  const io = parseS3Uri(asyncUri, "asyncOutputUri");
  const ioArn = `arn:aws:s3:::${io.bucket}${io.prefix ? `/${io.prefix}` : ""}/*`;
  const statements: unknown[] = [
    {
      Sid: "PullImage",
      Effect: "Allow",
      Action: [
        "ecr:GetAuthorizationToken",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchCheckLayerAvailability",
      ],
      Resource: "*",
    },
    {
      Sid: "Logs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: "arn:aws:logs:*:*:log-group:/aws/sagemaker/*",
    },
    { Sid: "Metrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: "*" },
    {
      Sid: "AsyncIO",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: ioArn,
    },
  ];
  if (modelUri !== undefined) {
    const model = parseS3Uri(modelUri);
    statements.push(
      { Sid: "ListModel", Effect: "Allow", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${model.bucket}` },
      {
        Sid: "ReadModel",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: `arn:aws:s3:::${model.bucket}${model.prefix ? `/${model.prefix}` : ""}/*`,
      },
    );
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const SAGEMAKER_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Component names become SageMaker model/config names (`${name}-model-<7 random>`): keep them short and plain. */
const SAGEMAKER_SAFE_NAME = /^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,39}$/;

function validate(plan: ServerlessPlan): void {
  if (!SAGEMAKER_SAFE_NAME.test(plan.name)) {
    throw new ValidationError(
      "name",
      `"${plan.name}" cannot name SageMaker resources on aws: use at most 40 letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }
  if (plan.image === "") {
    throw new ValidationError(
      "image",
      "is required on aws: SageMaker pulls only from Amazon ECR. Build vLLM's `vllm-sagemaker` Dockerfile target (or use AWS's vLLM Deep Learning Container) and pass its <account>.dkr.ecr.<region>.amazonaws.com/... URI",
    );
  }
  if (typeof plan.image === "string" && !ECR_IMAGE.test(plan.image)) {
    throw new ValidationError(
      "image",
      `"${plan.image}" is not an Amazon ECR image; SageMaker pulls only from ECR. Build vLLM's \`vllm-sagemaker\` Dockerfile target (or use AWS's vLLM Deep Learning Container) and pass its <account>.dkr.ecr.<region>.amazonaws.com/... URI`,
    );
  }
  if (plan.args.every((a): a is string => typeof a === "string")) sagemakerServerEnv(plan.args);
  if (typeof plan.asyncOutputUri === "string") parseS3Uri(plan.asyncOutputUri, "asyncOutputUri");
  if (plan.fromHub && plan.asyncOutputUri === undefined) {
    throw new ValidationError(
      "asyncOutputUri",
      "is required on aws when modelUri is hf://: there is no model bucket to put async results in",
    );
  }
}

function create(plan: ServerlessPlan, parent: pulumi.ComponentResource): ServerlessResult {
  const { name, region, sku, tags } = plan;
  const opts = { parent };
  const seed = `${plan.namespace}/${region}/${name}`;
  const ioUri =
    plan.asyncOutputUri !== undefined
      ? pulumi.output(plan.asyncOutputUri).apply((u) => u.replace(/\/+$/, ""))
      : pulumi.output(plan.modelUri).apply((u) => asyncPrefix(u, sagemakerName(name, seed)));

  const role = new aws.iam.Role(
    `${name}-exec-role`,
    {
      name: iamName(name, seed, "exec"),
      description: `SageMaker execution role of the modelplane endpoint ${name}`,
      assumeRolePolicy: SAGEMAKER_TRUST,
      // The control plane's workers may create and write mp-* roles only with the platform's boundary.
      ...(plan.roleBoundary !== undefined ? { permissionsBoundary: plan.roleBoundary } : {}),
      tags,
    },
    opts,
  );
  const readModelInline = plan.modelAccess === undefined && !plan.fromHub;
  const inline = new aws.iam.RolePolicy(
    `${name}-exec-policy`,
    {
      role: role.name,
      policy: pulumi
        .all([ioUri, plan.modelUri])
        .apply(([io, model]) => executionPolicy(io, readModelInline ? model : undefined)),
    },
    opts,
  );
  const dependsOn: pulumi.Resource[] = [inline];
  if (plan.modelAccess !== undefined) {
    dependsOn.push(
      new aws.iam.RolePolicyAttachment(
        `${name}-model-read`,
        { role: role.name, policyArn: plan.modelAccess.grant },
        opts,
      ),
    );
  }

  const environment = pulumi
    .all([pulumi.all(plan.args), pulumi.output(plan.env), plan.modelUri])
    .apply(([args, env, uri]) => ({
      ...sagemakerServerEnv(args),
      ...env,
      MODEL_URI: uri,
      MODEL_DIR: plan.modelDir,
      SERVED_MODEL_NAME: plan.servedModelName,
    }));
  const model = new aws.sagemaker.Model(
    `${name}-model`,
    {
      region,
      executionRoleArn: role.arn,
      primaryContainer: {
        image: plan.image,
        environment,
        modelDataSource: plan.fromHub
          ? undefined
          : {
              s3DataSources: [
                {
                  s3Uri: pulumi.output(plan.modelUri).apply((u) => `${u.replace(/\/+$/, "")}/`),
                  s3DataType: "S3Prefix",
                  compressionType: "None",
                },
              ],
            },
      },
      tags,
    },
    { parent, dependsOn },
  );
  const config = new aws.sagemaker.EndpointConfiguration(
    `${name}-config`,
    {
      region,
      productionVariants: [
        {
          variantName: VARIANT,
          modelName: model.name,
          instanceType: sku.sku,
          // SageMaker creates an endpoint with at least one instance; the scaling policies below take it to 0.
          initialInstanceCount: 1,
          containerStartupHealthCheckTimeoutInSeconds: 1800,
          modelDataDownloadTimeoutInSeconds: 1800,
        },
      ],
      asyncInferenceConfig: {
        outputConfig: {
          s3OutputPath: pulumi.interpolate`${ioUri}/output`,
          s3FailurePath: pulumi.interpolate`${ioUri}/failures`,
        },
        clientConfig: { maxConcurrentInvocationsPerInstance: plan.concurrency },
      },
      tags,
    },
    opts,
  );
  const endpoint = new aws.sagemaker.Endpoint(
    `${name}-endpoint`,
    {
      name: sagemakerName(name, seed),
      region,
      endpointConfigName: config.name,
      tags,
    },
    opts,
  );

  const target = new aws.appautoscaling.Target(
    `${name}-scaling-target`,
    {
      region,
      serviceNamespace: "sagemaker",
      resourceId: pulumi.interpolate`endpoint/${endpoint.name}/variant/${VARIANT}`,
      scalableDimension: "sagemaker:variant:DesiredInstanceCount",
      minCapacity: 0,
      maxCapacity: plan.maxInstances,
      tags,
    },
    opts,
  );
  new aws.appautoscaling.Policy(
    `${name}-backlog-policy`,
    {
      region,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: plan.concurrency,
        customizedMetricSpecification: {
          metricName: "ApproximateBacklogSizePerInstance",
          namespace: "AWS/SageMaker",
          dimensions: [{ name: "EndpointName", value: endpoint.name }],
          statistic: "Average",
        },
        scaleInCooldown: 600,
        scaleOutCooldown: 300,
      },
    },
    opts,
  );
  const fromZero = new aws.appautoscaling.Policy(
    `${name}-from-zero-policy`,
    {
      region,
      policyType: "StepScaling",
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      stepScalingPolicyConfiguration: {
        adjustmentType: "ChangeInCapacity",
        metricAggregationType: "Average",
        cooldown: 300,
        stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
      },
    },
    opts,
  );
  new aws.cloudwatch.MetricAlarm(
    `${name}-backlog-alarm`,
    {
      region,
      alarmDescription: `Requests wait at ${name} with no instance running: scale from 0`,
      namespace: "AWS/SageMaker",
      metricName: "HasBacklogWithoutCapacity",
      dimensions: { EndpointName: endpoint.name },
      statistic: "Average",
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "missing",
      alarmActions: [fromZero.arn],
      tags,
    },
    opts,
  );

  return {
    url: pulumi.interpolate`https://runtime.sagemaker.${region}.amazonaws.com/endpoints/${endpoint.name}/async-invocations`,
    environmentId: pulumi.output(undefined),
    serviceName: endpoint.name,
  };
}

export const awsServerless: ServerlessProvider = {
  product: "sagemaker-async",
  skus: SAGEMAKER_ASYNC_SKUS,
  defaultImage: "",
  requiredPort: SAGEMAKER_PORT,
  modelDir: SAGEMAKER_MODEL_DIR,
  createsRoles: true,
  validate,
  create,
};
