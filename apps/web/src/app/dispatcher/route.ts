import { useCallback, useEffect, useState } from 'react';

/**
 * Where the dispatcher is, kept in the URL hash so the back button, reload
 * and shared links work without a router (and without touching the shell's
 * own path).
 */
export type DispatcherRoute =
  | { name: 'board' }
  | { name: 'schedule' }
  | { name: 'conflicts' }
  | { name: 'devices' }
  | { name: 'contractors'; contractorId?: string }
  | { name: 'new-job'; customerId?: string }
  | { name: 'new-customer' }
  | { name: 'job'; jobId: string; panel?: 'assign' | 'edit' }
  /** The customer's page; `panel: 'edit'` opens the edit form. */
  | { name: 'customer'; customerId: string; panel?: 'edit' }
  | { name: 'people' }
  | { name: 'invite' }
  | { name: 'person'; userId: string }
  | { name: 'settings' }
  /** Alert rules and the delivery history. */
  | { name: 'alerts' }
  /** The rule editor: a new rule, or `ruleId`'s. */
  | { name: 'alert-rule'; ruleId?: string }
  /** The signed-in person's notification feed (the header bell). */
  | { name: 'notifications' }
  /**
   * Timesheets: a week (its Monday, `YYYY-MM-DD`; this week when absent), and
   * optionally one contractor's day opened from it.
   */
  | { name: 'timesheets'; week?: string; contractorId?: string; day?: string }
  /** Every estimate on this computer. */
  | { name: 'estimates' }
  /** One estimate; `panel: 'edit'` opens the editor (a draft only). */
  | { name: 'estimate'; estimateId: string; panel?: 'edit' }
  /** The editor for a new estimate for a customer, optionally for one of their jobs. */
  | { name: 'new-estimate'; customerId: string; jobId?: string }
  /** The company's price list (office only). */
  | { name: 'price-list' }
  /** Reports over a range of months (`YYYY-MM`, both included; the last six months when absent). */
  | { name: 'reports'; from?: string; to?: string };

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function parseRoute(hash: string): DispatcherRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [first, second, third, fourth] = parts;
  switch (first) {
    case 'schedule':
      return { name: 'schedule' };
    case 'conflicts':
      return { name: 'conflicts' };
    case 'devices':
      return { name: 'devices' };
    case 'contractors':
      return second ? { name: 'contractors', contractorId: second } : { name: 'contractors' };
    case 'people':
      if (second === 'invite') return { name: 'invite' };
      return second ? { name: 'person', userId: second } : { name: 'people' };
    case 'settings':
      return { name: 'settings' };
    case 'alerts':
      if (second === 'new') return { name: 'alert-rule' };
      return second ? { name: 'alert-rule', ruleId: second } : { name: 'alerts' };
    case 'notifications':
      return { name: 'notifications' };
    case 'timesheets':
      if (!second || !DAY_PATTERN.test(second)) return { name: 'timesheets' };
      if (third && fourth && DAY_PATTERN.test(fourth))
        return { name: 'timesheets', week: second, contractorId: third, day: fourth };
      return { name: 'timesheets', week: second };
    case 'estimates':
      if (!second) return { name: 'estimates' };
      if (second === 'new') {
        if (!third) return { name: 'estimates' };
        return fourth
          ? { name: 'new-estimate', customerId: third, jobId: fourth }
          : { name: 'new-estimate', customerId: third };
      }
      return third === 'edit'
        ? { name: 'estimate', estimateId: second, panel: 'edit' }
        : { name: 'estimate', estimateId: second };
    case 'price-list':
      return { name: 'price-list' };
    case 'reports':
      // Both months or neither: a half-typed range falls back to the usual one.
      if (second && third && MONTH_PATTERN.test(second) && MONTH_PATTERN.test(third) && second <= third)
        return { name: 'reports', from: second, to: third };
      return { name: 'reports' };
    case 'customers':
      if (second === 'new') return { name: 'new-customer' };
      if (!second) return { name: 'board' };
      return third === 'edit'
        ? { name: 'customer', customerId: second, panel: 'edit' }
        : { name: 'customer', customerId: second };
    case 'jobs':
      if (second === 'new') return third ? { name: 'new-job', customerId: third } : { name: 'new-job' };
      if (!second) return { name: 'board' };
      if (third === 'assign' || third === 'edit') return { name: 'job', jobId: second, panel: third };
      return { name: 'job', jobId: second };
    default:
      return { name: 'board' };
  }
}

export function routeHref(route: DispatcherRoute): string {
  switch (route.name) {
    case 'board':
      return '#/board';
    case 'schedule':
    case 'conflicts':
    case 'devices':
    case 'people':
    case 'settings':
    case 'alerts':
    case 'notifications':
    case 'estimates':
    case 'price-list':
      return `#/${route.name}`;
    case 'reports':
      return route.from && route.to ? `#/reports/${route.from}/${route.to}` : '#/reports';
    case 'estimate':
      return route.panel ? `#/estimates/${route.estimateId}/${route.panel}` : `#/estimates/${route.estimateId}`;
    case 'new-estimate':
      return route.jobId ? `#/estimates/new/${route.customerId}/${route.jobId}` : `#/estimates/new/${route.customerId}`;
    case 'timesheets':
      if (!route.week) return '#/timesheets';
      return route.contractorId && route.day
        ? `#/timesheets/${route.week}/${route.contractorId}/${route.day}`
        : `#/timesheets/${route.week}`;
    case 'alert-rule':
      return route.ruleId ? `#/alerts/${route.ruleId}` : '#/alerts/new';
    case 'invite':
      return '#/people/invite';
    case 'person':
      return `#/people/${route.userId}`;
    case 'contractors':
      return route.contractorId ? `#/contractors/${route.contractorId}` : '#/contractors';
    case 'new-job':
      return route.customerId ? `#/jobs/new/${route.customerId}` : '#/jobs/new';
    case 'new-customer':
      return '#/customers/new';
    case 'customer':
      return route.panel ? `#/customers/${route.customerId}/${route.panel}` : `#/customers/${route.customerId}`;
    case 'job':
      return route.panel ? `#/jobs/${route.jobId}/${route.panel}` : `#/jobs/${route.jobId}`;
  }
}

/** The current route and a way to go somewhere else. */
export function useRoute(): [DispatcherRoute, (route: DispatcherRoute) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: DispatcherRoute) => {
    window.location.hash = routeHref(next);
  }, []);
  return [route, navigate];
}
