// The app frame around public pages (sign-in, status): header with the product name and the
// language switch.
export { AppShell } from './app-shell.tsx';
export { LanguageSwitch } from './language-switch.tsx';
