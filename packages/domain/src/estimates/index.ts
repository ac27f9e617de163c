export {
  ESTIMATE_EDITABLE_FIELDS,
  ESTIMATE_LINE_KINDS,
  ESTIMATE_NUMBER_PATTERN,
  ESTIMATE_STATUSES,
  type Estimate,
  type EstimateEditableField,
  type EstimateLine,
  type EstimateLineKind,
  type EstimateStatus,
  estimateLineKindSchema,
  estimateLineSchema,
  estimateLinesSchema,
  estimateNotesSchema,
  estimateNumberSchema,
  estimateSchema,
  estimateStatusSchema,
  estimateTitleSchema,
  formatEstimateNumber,
  lineQuantitySchema,
  MAX_ESTIMATE_LINES,
  MAX_LINE_QUANTITY,
  MAX_UNIT_PRICE_CENTS,
  rejectedReasonSchema,
  taxRateBasisPointsSchema,
  unitPriceCentsSchema,
} from './estimate';
export {
  type CalendarMonth,
  type ContractorRevenue,
  type EstimateMonth,
  estimateMonths,
  isCalendarMonth,
  monthsInRange,
  nextCalendarMonth,
  type RevenueInput,
  revenueByContractor,
  splitCents,
} from './estimate-reports';
export { type EstimateTotals, estimateTotals, formatCents, lineTotalCents, parseMoneyToCents } from './estimate-totals';
export {
  checkEstimateEditable,
  checkEstimateTransition,
  type EstimateActor,
  estimateTransitions,
  isEstimateExpiringSoon,
  isEstimateLapsed,
} from './estimate-transitions';
export {
  COST_REASON_REQUIRED_MESSAGE,
  checkJobCosts,
  customerTotals,
  type JobCosts,
  jobEarnedCents,
} from './job-costing';
export { estimateTotalsFields, type NewEstimateInput, newEstimate } from './new-estimate';
export {
  PRICE_LIST_EDITABLE_FIELDS,
  type PriceListItem,
  priceListItemSchema,
  priceListItemShape,
  suggestPriceListItems,
} from './price-list-item';
