import { formatCents, isEstimateLapsed, lineTotalCents } from '@fieldsync/domain';
import type { LocalRow } from '../../sync';
import { type CompanyClock, formatDateTime, formatLocalDate, formatLongDay } from '../shell/format';
import { lineRateText, quantityToInput } from './estimate-draft';
import { LINE_KIND_LABEL, taxRateText } from './estimate-words';
import './estimates.css';

type LocalEstimate = LocalRow<'estimates'>;

/** The lines of an estimate with each line's total, then subtotal, tax and total. */
export function EstimateLinesTable({ estimate }: { estimate: LocalEstimate }) {
  const money = (cents: number) => formatCents(cents, estimate.currency);
  return (
    <table className="es-table">
      <caption className="fs-sr-only">Lines of the estimate</caption>
      <thead className="es-table__head">
        <tr>
          <th scope="col">Description</th>
          <th scope="col" className="es-table__num es-table__wide">
            Quantity
          </th>
          <th scope="col" className="es-table__num es-table__wide">
            Unit price
          </th>
          <th scope="col" className="es-table__num">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {estimate.lines.map((line) => (
          <tr key={line.id}>
            <td>
              <span className="es-table__description">{line.description}</span>
              <span className="es-table__kind"> · {LINE_KIND_LABEL[line.kind]}</span>
              <span className="es-table__narrow es-table__rate">{lineRateText(line, estimate.currency)}</span>
            </td>
            <td className="es-table__num es-table__wide">
              {quantityToInput(line.quantity)} {line.unit}
            </td>
            <td className="es-table__num es-table__wide">{money(line.unitPriceCents)}</td>
            <td className="es-table__num">{money(lineTotalCents(line))}</td>
          </tr>
        ))}
      </tbody>
      {/* The empty cells sit under quantity and unit price; on phones those columns hide, and the labels keep their place. */}
      <tfoot className="es-table__foot">
        <tr className="es-table__minor">
          <th scope="row">Subtotal</th>
          <td className="es-table__wide" />
          <td className="es-table__wide" />
          <td className="es-table__num">{money(estimate.subtotalCents)}</td>
        </tr>
        <tr className="es-table__minor">
          <th scope="row">Tax ({taxRateText(estimate.taxRateBasisPoints)})</th>
          <td className="es-table__wide" />
          <td className="es-table__wide" />
          <td className="es-table__num">{money(estimate.taxCents)}</td>
        </tr>
        <tr className="es-table__total">
          <th scope="row">Total</th>
          <td className="es-table__wide" />
          <td className="es-table__wide" />
          <td className="es-table__num">{money(estimate.totalCents)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** How long the price holds and what happened to the estimate, in words. */
export function EstimateFacts(props: { estimate: LocalEstimate; clock: CompanyClock; today: string }) {
  const { estimate, clock } = props;
  const lapsed = isEstimateLapsed(estimate, props.today);
  return (
    <dl className="es-facts">
      <div>
        <dt>Valid until</dt>
        <dd>
          <time dateTime={estimate.validUntil} title={formatLongDay(estimate.validUntil)}>
            {formatLocalDate(estimate.validUntil)}
          </time>
          {lapsed ? <span className="es-facts__warn"> · the price no longer holds</span> : null}
        </dd>
      </div>
      {estimate.sentAt ? (
        <div>
          <dt>Sent</dt>
          <dd>{formatDateTime(estimate.sentAt, clock)}</dd>
        </div>
      ) : null}
      {estimate.acceptedAt ? (
        <div>
          <dt>Accepted</dt>
          <dd>{formatDateTime(estimate.acceptedAt, clock)}</dd>
        </div>
      ) : null}
      {estimate.status === 'rejected' && estimate.rejectedReason ? (
        <div>
          <dt>Why the customer declined</dt>
          <dd className="es-facts__text">{estimate.rejectedReason}</dd>
        </div>
      ) : null}
      {estimate.notes ? (
        <div>
          <dt>Notes</dt>
          <dd className="es-facts__text">{estimate.notes}</dd>
        </div>
      ) : null}
    </dl>
  );
}
