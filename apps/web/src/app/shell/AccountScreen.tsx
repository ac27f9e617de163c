import { type ReactNode, type Ref, useEffect, useRef } from 'react';

/**
 * The frame of the screens before a session (sign-in, sign-up, invite): the
 * brand, then one narrow column. Its heading takes focus when it opens so a
 * screen-reader user hears where they are.
 */
export function AccountScreen(props: { title: string; wide?: boolean; children: ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  return (
    <main className={props.wide ? 'fs-signin fs-signin--wide' : 'fs-signin'}>
      <div className="fs-signin__brand">
        <img src="/icons/icon-192.png" alt="" width="56" height="56" />
        <p className="fs-signin__name">Fieldsync</p>
      </div>
      <h1 className="fs-signin__title" ref={headingRef} tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </main>
  );
}

/** A form-wide error (no connection, too many attempts): announced, and focusable for `focusFirstError`. */
export function FormBanner(props: { message: string | null | undefined; bannerRef?: Ref<HTMLDivElement> }) {
  if (!props.message) return null;
  return (
    <div className="fs-form-banner" role="alert" tabIndex={-1} ref={props.bannerRef}>
      {props.message}
    </div>
  );
}
