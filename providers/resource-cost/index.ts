/** Resource pricing: one function prices a registered resource; `priceStack` prices a stack. */
export { priceResource, priceFacts, gpuCapacityOf, gpuOfferFor, restingNodes } from "./price";
export { poolsOf, poolForWorkload } from "./pools";
export type { PoolCandidate } from "./pools";
export { priceStack } from "./stack";
export type { PricedEntry, StackPrice, UnpricedItem } from "./stack";
export { readResource, knownTypes, isStructural, COST_MODULES, MODEL_ARTIFACT_TYPE } from "./registry";
export type * from "../../platform/core/resources/types";
