import { DEFAULT_SENDING_SETTINGS, sendingSettingsSchema, type SendingSettings } from '../../shared/schemas/app.ts';
import { durably, sql, type Db } from '../store/database.ts';

/**
 * The person's sending settings, one row per key (JSON). A value that no longer validates
 * (written by another version) falls back to its default rather than stopping the app.
 * Read often (each enqueue, each pump), so kept in memory and written through.
 */
export class SettingsRepo {
  private readonly db: Db;
  private cached: SendingSettings | null = null;

  constructor(db: Db) {
    this.db = db;
  }

  get(): SendingSettings {
    if (this.cached) return this.cached;
    const rows = sql(this.db, 'SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // unreadable: the default stays
      }
    }
    const settings = { ...DEFAULT_SENDING_SETTINGS };
    for (const key of Object.keys(settings) as (keyof SendingSettings)[]) {
      const checked = sendingSettingsSchema.shape[key].safeParse(stored[key]);
      if (checked.success) settings[key] = checked.data;
    }
    this.cached = settings;
    return settings;
  }

  save(change: Partial<SendingSettings>): SendingSettings {
    durably(this.db, () => {
      for (const [key, value] of Object.entries(change)) {
        if (value !== undefined)
          sql(
            this.db,
            'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
          ).run(key, JSON.stringify(value));
      }
    });
    this.cached = null;
    return this.get();
  }
}
