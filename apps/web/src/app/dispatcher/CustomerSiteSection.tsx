import type { Customer, Job } from '@fieldsync/domain';
import { routeHref } from './route';

/** Who the job is for and where: the customer's contact details, the site and what the job needs. */
export function CustomerSiteSection({ job, customer }: { job: Job; customer: Customer | undefined }) {
  return (
    <section className="dsp-box" aria-labelledby="dsp-customer-h">
      <h2 id="dsp-customer-h">Customer & site</h2>
      {customer ? (
        <dl className="dsp-dl">
          <dt>Name</dt>
          <dd>
            <a href={routeHref({ name: 'customer', customerId: customer.id })}>{customer.name}</a>
          </dd>
          <dt>Phone</dt>
          <dd>{customer.phone ? <a href={`tel:${customer.phone}`}>{customer.phone}</a> : '—'}</dd>
          <dt>Email</dt>
          <dd>{customer.email ?? '—'}</dd>
        </dl>
      ) : (
        <p className="dsp-muted">No customer</p>
      )}
      <dl className="dsp-dl">
        <dt>Site</dt>
        <dd>{job.address ?? '—'}</dd>
        {job.description ? (
          <>
            <dt>Description</dt>
            <dd className="dsp-pre">{job.description}</dd>
          </>
        ) : null}
        {job.specialRequirements.length > 0 ? (
          <>
            <dt>Requirements</dt>
            <dd>{job.specialRequirements.join(', ')}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
