/**
 * What shows while the app opens or a screen loads: the brand exactly where the
 * sign-in screen has it. index.html carries the same markup, so the first paint
 * needs no JavaScript and the sign-in screen takes over without a shift.
 */
export function Splash({ text, children }: { text: string; children?: React.ReactNode }) {
  return (
    <main className="fs-signin" aria-busy={children ? undefined : true}>
      <div className="fs-signin__brand">
        <img src="/icons/icon-192.png" alt="" width="56" height="56" />
        <h1>Fieldsync</h1>
      </div>
      <p className="fs-muted">{text}</p>
      {children}
    </main>
  );
}
