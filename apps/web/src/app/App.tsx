/** Placeholder shell until the screens land. */
export function App() {
  return (
    <main>
      <h1>Fieldsync</h1>
      <p>Loading…</p>
    </main>
  );
}
