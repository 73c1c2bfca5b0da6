import { QueryClient } from '@tanstack/react-query';
import 'antd/dist/reset.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createI18n, detectLanguage, readStoredLanguage } from './i18n/index.ts';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

const i18n = createI18n(detectLanguage(readStoredLanguage(), navigator.language));
const queryClient = new QueryClient();

createRoot(container).render(
  <StrictMode>
    <App i18n={i18n} queryClient={queryClient} />
  </StrictMode>,
);
