import { definePlugin } from '@daicho/sdk';
import type { DaichoObjects } from './daicho-objects.js';

/** The admin's settings, from contributes.settingsSchema. */
interface Settings {
  greeting: string;
}

export default definePlugin<DaichoObjects, Settings>({
  hooks: {
    'acme.hello.greeting': {
      // Runs inside the create's transaction: fills the message, or refuses the record.
      async beforeCreate({ record }, ctx) {
        const person = record.person?.trim();
        if (!person) return { problems: [{ field: 'person', message: 'Say whom to greet' }] };
        const { greeting = 'Hello' } = await ctx.settings.get();
        ctx.log.info('greeting', person);
        return { set: { person, message: `${greeting}, ${person}!` } };
      },
    },
  },
});
