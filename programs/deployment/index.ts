/**
 * Entry point for running one deployment stack by hand: `pulumi up` in this directory (see
 * docs/deployment-stack.md). The API runs the same program inline through the Automation API.
 * Exports the stack outputs `deploymentProgram` resolves to.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, specFromConfig } from "./config";
import { deploymentProgram } from "./program";

export = deploymentProgram(specFromConfig(new pulumi.Config(CONFIG_NAMESPACE), __dirname));
