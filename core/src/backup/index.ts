// Backups: a consistent, version-independent copy of an install's database (platform tables and
// every workspace schema) in one file, and its restore into an empty database.
export { BACKUP_FORMAT, createBackup, restoreBackup } from './backup.ts';
export type { BackupFooter, BackupHeader, BackupSummary } from './backup.ts';
