import { expect, test } from 'vitest';
import { type DispatcherRoute, parseRoute, routeHref } from './route';

test('the administration screens have their own addresses, and each parses back to itself', () => {
  const routes: DispatcherRoute[] = [
    { name: 'people' },
    { name: 'invite' },
    { name: 'person', userId: '00000000-0000-4000-8000-00000000c001' },
    { name: 'settings' },
  ];
  expect(routes.map(routeHref)).toEqual([
    '#/people',
    '#/people/invite',
    '#/people/00000000-0000-4000-8000-00000000c001',
    '#/settings',
  ]);
  for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
});

test('a customer has a page, and its edit form an address of its own', () => {
  const customerId = '00000000-0000-4000-8000-00000000c002';
  const page: DispatcherRoute = { name: 'customer', customerId };
  const edit: DispatcherRoute = { name: 'customer', customerId, panel: 'edit' };
  expect(routeHref(page)).toBe(`#/customers/${customerId}`);
  expect(routeHref(edit)).toBe(`#/customers/${customerId}/edit`);
  expect(parseRoute(routeHref(page))).toEqual(page);
  expect(parseRoute(routeHref(edit))).toEqual(edit);
  expect(parseRoute('#/customers/new')).toEqual({ name: 'new-customer' });
});

test('alerts, the rule editor and the notification feed have addresses that parse back to themselves', () => {
  const ruleId = '00000000-0000-4000-8000-0000000a1e01';
  const routes: DispatcherRoute[] = [
    { name: 'alerts' },
    { name: 'alert-rule' },
    { name: 'alert-rule', ruleId },
    { name: 'notifications' },
  ];
  expect(routes.map(routeHref)).toEqual(['#/alerts', '#/alerts/new', `#/alerts/${ruleId}`, '#/notifications']);
  for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
});

test('timesheets: this week, a chosen week, and a contractor’s day in it, each parsing back to itself', () => {
  const contractorId = '00000000-0000-4000-8000-00000000c0de';
  const routes: DispatcherRoute[] = [
    { name: 'timesheets' },
    { name: 'timesheets', week: '2026-11-30' },
    { name: 'timesheets', week: '2026-11-30', contractorId, day: '2026-12-02' },
  ];
  expect(routes.map(routeHref)).toEqual([
    '#/timesheets',
    '#/timesheets/2026-11-30',
    `#/timesheets/2026-11-30/${contractorId}/2026-12-02`,
  ]);
  for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  // A mangled address falls back to the week rather than a broken screen.
  expect(parseRoute('#/timesheets/last-week')).toEqual({ name: 'timesheets' });
  expect(parseRoute(`#/timesheets/2026-11-30/${contractorId}`)).toEqual({ name: 'timesheets', week: '2026-11-30' });
});

test('estimates, one estimate, its editor and a new one for a customer (and job) parse back to themselves', () => {
  const estimateId = '00000000-0000-4000-8000-0000000e5701';
  const customerId = '00000000-0000-4000-8000-00000000c002';
  const jobId = '00000000-0000-4000-8000-0000000j0b01';
  const routes: DispatcherRoute[] = [
    { name: 'estimates' },
    { name: 'estimate', estimateId },
    { name: 'estimate', estimateId, panel: 'edit' },
    { name: 'new-estimate', customerId },
    { name: 'new-estimate', customerId, jobId },
  ];
  expect(routes.map(routeHref)).toEqual([
    '#/estimates',
    `#/estimates/${estimateId}`,
    `#/estimates/${estimateId}/edit`,
    `#/estimates/new/${customerId}`,
    `#/estimates/new/${customerId}/${jobId}`,
  ]);
  for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  // "New" without a customer has nobody to price for: back to the list.
  expect(parseRoute('#/estimates/new')).toEqual({ name: 'estimates' });
});

test('the price list and the reports (with a month range) have addresses of their own', () => {
  const routes: DispatcherRoute[] = [
    { name: 'price-list' },
    { name: 'reports' },
    { name: 'reports', from: '2026-06', to: '2026-11' },
  ];
  expect(routes.map(routeHref)).toEqual(['#/price-list', '#/reports', '#/reports/2026-06/2026-11']);
  for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  // A mangled or backwards range falls back to the usual months.
  expect(parseRoute('#/reports/2026-13/2026-11')).toEqual({ name: 'reports' });
  expect(parseRoute('#/reports/2026-11/2026-06')).toEqual({ name: 'reports' });
  expect(parseRoute('#/reports/2026-06')).toEqual({ name: 'reports' });
});
