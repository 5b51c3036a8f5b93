export { PRICES, type PriceTable, type AwsPrices, type GcpPrices } from './prices.js';
export {
  estimateCost,
  usd,
  type CostEstimate,
  type CostItem,
  type CostCategory,
  type EstimateOptions,
} from './estimate.js';
export { diffCost, formatCostDelta, type CostDiff, type CostDiffItem } from './diff.js';
export { renderCostMarkdown, renderCostDiffMarkdown } from './markdown.js';
