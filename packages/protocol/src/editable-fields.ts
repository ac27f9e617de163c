/**
 * The fields each `*.update` mutation may change, per entity (wire table
 * name). Anything else (status, jobNumber, version, createdBy, purchased …)
 * has its own mutation or is set by the server.
 */
export const EDITABLE_FIELDS = {
  customers: ['name', 'phone', 'email', 'address', 'lat', 'lng', 'notes', 'archived'],
  jobs: [
    'title',
    'description',
    'customerId',
    'trade',
    'priority',
    'desiredDate',
    'durationMinutes',
    'address',
    'lat',
    'lng',
    'specialRequirements',
    'requiredSkills',
    'requiresSignature',
    'agreedCostCents',
    'actualCostCents',
    'costDifferenceReason',
  ],
  contractors: ['userId', 'name', 'trade', 'skills', 'status', 'phone', 'email', 'baseAddress', 'baseLat', 'baseLng'],
  materials: ['itemName', 'quantity', 'unit', 'notes'],
  users: ['name', 'role'],
  organizations: [
    'name',
    'timeZone',
    'timeFormat',
    'scoringWeights',
    'maxDistanceMiles',
    'overdueMinutes',
    'staleDeviceHours',
    'currency',
    'taxRateBasisPoints',
  ],
} as const;
export type EditableEntity = keyof typeof EDITABLE_FIELDS;
export type EditableField<E extends EditableEntity> = (typeof EDITABLE_FIELDS)[E][number];

/** Which entity each update mutation edits. */
export const UPDATE_MUTATION_ENTITY = {
  'customer.update': 'customers',
  'job.update': 'jobs',
  'contractor.update': 'contractors',
  'material.update': 'materials',
  'user.update': 'users',
  'org.update': 'organizations',
} as const satisfies Record<string, EditableEntity>;
export type UpdateMutationName = keyof typeof UPDATE_MUTATION_ENTITY;
