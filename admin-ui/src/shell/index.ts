// The app frame around every page: header with the product name and the language switch.
export { AppShell } from './app-shell.tsx';
export { LanguageSwitch } from './language-switch.tsx';
