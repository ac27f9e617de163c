import { useEffect, useRef } from 'react';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { AppHeader } from '../shell';
import { NotificationFeed } from '../shell/NotificationFeed';
import { AlertRuleEditor } from './AlertRuleEditor';
import { AlertsView } from './AlertsView';
import { CompanySettings } from './CompanySettings';
import { ConflictInbox } from './ConflictInbox';
import { ContractorsView } from './ContractorsView';
import { CustomerForm } from './CustomerForm';
import { CustomerPage } from './CustomerPage';
import { DeviceHealth } from './DeviceHealth';
import { EstimateDetail, NewEstimate } from './EstimateDetail';
import { EstimatesView } from './EstimatesView';
import { InviteForm } from './InviteForm';
import { JobBoard } from './JobBoard';
import { JobDetail } from './JobDetail';
import { JobForm } from './JobForm';
import { PeopleView } from './PeopleView';
import { PersonDetail } from './PersonDetail';
import { PriceListView } from './PriceListView';
import { ReportsView } from './ReportsView';
import { type DispatcherRoute, routeHref, useRoute } from './route';
import { ScheduleView } from './ScheduleView';
import { TimesheetsView } from './TimesheetsView';
import './dispatcher.css';
import './admin.css';

type NavItem = {
  name: DispatcherRoute['name'];
  label: string;
  route: DispatcherRoute;
  icon: string;
  /** Only admins see it (the screen's own rule is `org.manage`). */
  adminOnly?: boolean;
};

const NAV: NavItem[] = [
  { name: 'board', label: 'Jobs', route: { name: 'board' }, icon: 'M3 4h14M3 10h14M3 16h9' },
  { name: 'schedule', label: 'Schedule', route: { name: 'schedule' }, icon: 'M3 5h14v12H3zM3 9h14M7 3v4M13 3v4' },
  { name: 'conflicts', label: 'Conflicts', route: { name: 'conflicts' }, icon: 'M10 3l8 14H2zM10 8v4M10 14.5v.5' },
  {
    name: 'contractors',
    label: 'Contractors',
    route: { name: 'contractors' },
    icon: 'M7 9a3 3 0 100-6 3 3 0 000 6zM2 17c0-3 2.5-5 5-5s5 2 5 5M14 9a2.5 2.5 0 100-5M15 12c2 .5 3 2.2 3 5',
  },
  {
    name: 'timesheets',
    label: 'Timesheets',
    route: { name: 'timesheets' },
    icon: 'M10 18a7 7 0 100-14 7 7 0 000 14zM10 7v4l2.5 2M8 2h4',
  },
  {
    name: 'estimates',
    label: 'Estimates',
    route: { name: 'estimates' },
    icon: 'M5 2h7l4 4v12H5zM12 2v4h4M8 10h6M8 13h6M8 16h3',
  },
  {
    name: 'price-list',
    label: 'Price list',
    route: { name: 'price-list' },
    icon: 'M3 10.5V3h7.5l7 7-7.5 7.5zM7 7h.01',
  },
  {
    name: 'reports',
    label: 'Reports',
    route: { name: 'reports' },
    icon: 'M3 17h14M5 17V9M9 17V5M13 17v-6M17 17V8',
  },
  {
    name: 'alerts',
    label: 'Alerts',
    route: { name: 'alerts' },
    icon: 'M10 17.5a1.8 1.8 0 001.8-1.5H8.2a1.8 1.8 0 001.8 1.5zM15 13V9a5 5 0 00-10 0v4l-1.5 1.5V15h13v-.5z',
  },
  { name: 'devices', label: 'Device health', route: { name: 'devices' }, icon: 'M6 2h8v16H6zM9 15h2' },
  {
    name: 'people',
    label: 'People',
    route: { name: 'people' },
    icon: 'M10 9a3 3 0 100-6 3 3 0 000 6zM4 17c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5',
  },
  {
    name: 'settings',
    label: 'Company settings',
    route: { name: 'settings' },
    icon: 'M3 17V8l7-5 7 5v9zM8 17v-5h4v5',
    adminOnly: true,
  },
];

function activeSection(route: DispatcherRoute): DispatcherRoute['name'] {
  if (route.name === 'job' || route.name === 'new-job' || route.name === 'new-customer' || route.name === 'customer')
    return 'board';
  if (route.name === 'invite' || route.name === 'person') return 'people';
  if (route.name === 'alert-rule') return 'alerts';
  if (route.name === 'estimate' || route.name === 'new-estimate') return 'estimates';
  return route.name;
}

/**
 * The dispatcher desktop: job board, schedule, job detail with
 * recommendations, conflict inbox, contractors, timesheets, estimates, the
 * price list, reports, alerts and device health. Loaded
 * lazily by the shell for dispatchers and admins; everything reads the local
 * store live and writes through `client.mutate`.
 */
export function DispatcherApp() {
  const { db } = useFieldsync();
  const state = useSyncState();
  const [route, navigate] = useRoute();
  const main = useRef<HTMLElement>(null);
  const openConflicts = useLiveQuery(() => db.conflicts.where('status').equals('open').count(), [db], 0);
  const section = activeSection(route);
  const isAdmin = state.session?.user.role === 'admin';
  const nav = NAV.filter((item) => isAdmin || !item.adminOnly);

  // Move focus to the new screen's heading, so keyboard and screen-reader users land where the content changed.
  const routeKey = JSON.stringify(route);
  useEffect(() => {
    if (routeKey === '') return;
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading && document.activeElement?.closest('.dsp-nav, .dsp-main a, .dsp-main button')) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }, [routeKey]);

  return (
    <div className="dsp-app">
      <a className="dsp-skip" href="#dsp-main">
        Skip to content
      </a>
      <AppHeader />
      <div className="dsp-body">
        <nav className="dsp-nav" aria-label="Dispatcher">
          <ul>
            {nav.map((item) => (
              <li key={item.name}>
                <a
                  href={routeHref(item.route)}
                  aria-current={section === item.name ? 'page' : undefined}
                  data-testid={`nav-${item.name}`}
                >
                  <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
                    <path
                      d={item.icon}
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="1.7"
                      strokeLinecap="round"
                      strokeLinejoin="round"
                    />
                  </svg>
                  <span>{item.label}</span>
                  {item.name === 'conflicts' && openConflicts > 0 ? (
                    <span className="dsp-nav-count" data-testid="open-conflicts">
                      {openConflicts}
                      <span className="dsp-visually-hidden"> open</span>
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
          <p className="dsp-nav-foot">
            {state.session?.user.name}
            <br />
            <span>{state.session?.user.role === 'admin' ? 'Admin' : 'Dispatcher'}</span>
          </p>
        </nav>
        <main id="dsp-main" ref={main} className="dsp-main">
          <Screen route={route} navigate={navigate} isAdmin={isAdmin} />
        </main>
      </div>
    </div>
  );
}

function Screen({
  route,
  navigate,
  isAdmin,
}: {
  route: DispatcherRoute;
  navigate: (route: DispatcherRoute) => void;
  isAdmin: boolean;
}) {
  switch (route.name) {
    case 'people':
      return <PeopleView />;
    case 'invite':
      return <InviteForm navigate={navigate} />;
    case 'person':
      return <PersonDetail key={route.userId} userId={route.userId} />;
    case 'settings':
      return isAdmin ? (
        <CompanySettings />
      ) : (
        <p className="dsp-empty">Only an admin can change the company settings.</p>
      );
    case 'alerts':
      return <AlertsView />;
    case 'alert-rule':
      return <AlertRuleEditor key={route.ruleId ?? 'new'} ruleId={route.ruleId} navigate={navigate} />;
    case 'notifications':
      return <NotificationFeed device="computer" />;
    case 'board':
      return <JobBoard />;
    case 'schedule':
      return <ScheduleView />;
    case 'conflicts':
      return <ConflictInbox />;
    case 'devices':
      return <DeviceHealth />;
    case 'timesheets':
      return <TimesheetsView route={route} />;
    case 'contractors':
      return <ContractorsView contractorId={route.contractorId} />;
    case 'estimates':
      return <EstimatesView navigate={navigate} />;
    case 'estimate':
      return (
        <EstimateDetail key={route.estimateId} estimateId={route.estimateId} panel={route.panel} navigate={navigate} />
      );
    case 'new-estimate':
      return (
        <NewEstimate
          key={`${route.customerId}-${route.jobId ?? ''}`}
          customerId={route.customerId}
          jobId={route.jobId}
          navigate={navigate}
        />
      );
    case 'price-list':
      return <PriceListView />;
    case 'reports':
      return <ReportsView route={route} navigate={navigate} />;
    case 'new-job':
      return <JobForm key={`new-${route.customerId ?? ''}`} customerId={route.customerId} navigate={navigate} />;
    case 'new-customer':
      return <CustomerForm navigate={navigate} />;
    case 'customer':
      return route.panel === 'edit' ? (
        <EditCustomer customerId={route.customerId} navigate={navigate} />
      ) : (
        <CustomerPage key={route.customerId} customerId={route.customerId} />
      );
    case 'job':
      return route.panel === 'edit' ? (
        <EditJob jobId={route.jobId} navigate={navigate} />
      ) : (
        <JobDetail jobId={route.jobId} panel={route.panel} navigate={navigate} />
      );
  }
}

function EditJob({ jobId, navigate }: { jobId: string; navigate: (route: DispatcherRoute) => void }) {
  const { db } = useFieldsync();
  const job = useLiveQuery(() => db.jobs.get(jobId).then((row) => row ?? null), [db, jobId], undefined);
  if (job === undefined) return <p className="dsp-muted">Loading…</p>;
  if (job === null) return <p className="dsp-empty">This job is not on this device.</p>;
  // Keyed by id only: a sync arriving while the form is open must not wipe what the person typed.
  return <JobForm key={job.id} job={job} navigate={navigate} />;
}

function EditCustomer({ customerId, navigate }: { customerId: string; navigate: (route: DispatcherRoute) => void }) {
  const { db } = useFieldsync();
  const customer = useLiveQuery(
    () => db.customers.get(customerId).then((row) => row ?? null),
    [db, customerId],
    undefined,
  );
  if (customer === undefined) return <p className="dsp-muted">Loading…</p>;
  if (customer === null) return <p className="dsp-empty">This customer is not on this device.</p>;
  return <CustomerForm key={customer.id} customer={customer} navigate={navigate} />;
}

export default DispatcherApp;
