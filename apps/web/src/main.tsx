import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Boot, isFirstVisit } from './app/Boot';
import './app/styles.css';

// Asked before the engine opens its database (which would create it).
const firstVisit = isFirstVisit('fieldsync');
const engine = firstVisit.then(() => import('./engine'));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Boot engine={engine} firstVisit={firstVisit} />
  </StrictMode>,
);
