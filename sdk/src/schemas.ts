import businessCalendarSchema from '../schemas/business-calendar.schema.json' with { type: 'json' };
import escalationRuleSchema from '../schemas/escalation-rule.schema.json' with { type: 'json' };
import filterSchema from '../schemas/filter.schema.json' with { type: 'json' };
import objectSchema from '../schemas/object.schema.json' with { type: 'json' };
import pluginManifestSchema from '../schemas/plugin-manifest.schema.json' with { type: 'json' };
import permissionSetSchema from '../schemas/permission-set.schema.json' with { type: 'json' };
import roleSchema from '../schemas/role.schema.json' with { type: 'json' };
import sharingRuleSchema from '../schemas/sharing-rule.schema.json' with { type: 'json' };
import workflowSchema from '../schemas/workflow.schema.json' with { type: 'json' };

/** The object meta-schema (JSON Schema 2020-12) that every object definition must satisfy. */
export const objectMetaSchema: Readonly<Record<string, unknown>> = objectSchema;

/** The filter language's structure (JSON Schema 2020-12); semantic checks happen in core. */
export const filterMetaSchema: Readonly<Record<string, unknown>> = filterSchema;

/** Permission sets: object, field and admin permissions. */
export const permissionSetMetaSchema: Readonly<Record<string, unknown>> = permissionSetSchema;

/** Roles: permission sets combined, the hierarchy, sign-in restrictions. */
export const roleMetaSchema: Readonly<Record<string, unknown>> = roleSchema;

/** Sharing rules: records matching a filter opened to a team or role. */
export const sharingRuleMetaSchema: Readonly<Record<string, unknown>> = sharingRuleSchema;

/** Business-hours calendars: weekly hours, holidays, closures and open days in a time zone. */
export const businessCalendarMetaSchema: Readonly<Record<string, unknown>> = businessCalendarSchema;

/** Workflows: trigger, conditions and ordered actions. */
export const workflowMetaSchema: Readonly<Record<string, unknown>> = workflowSchema;

/** Plugin manifests (daicho-plugin.json); closed everywhere, semantic checks in validatePluginManifest. */
export const pluginManifestMetaSchema: Readonly<Record<string, unknown>> = pluginManifestSchema;

/** Escalation rules: steps after business time on a calendar, with pauses and an SLA due field. */
export const escalationRuleMetaSchema: Readonly<Record<string, unknown>> = escalationRuleSchema;
