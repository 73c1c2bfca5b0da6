import type { WorkflowDefinition, WorkflowTrigger } from '@daicho/sdk';
import type { InputProblem } from '../errors/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';

// Loops between workflows, found at save time from what each workflow's actions change and what
// each trigger listens to (conditions are not considered: a loop they break is still reported).
// At run time, DAICHO_WORKFLOW_MAX_DEPTH bounds whatever gets through.

interface Output {
  kind: 'create' | 'update';
  object: string;
  fields: readonly string[];
  action: number;
}

function outputsOf(workflow: WorkflowDefinition): Output[] {
  const triggerObject = 'object' in workflow.trigger ? workflow.trigger.object : undefined;
  const outputs: Output[] = [];
  workflow.actions.forEach((action, index) => {
    if (action.type === 'createRecord') outputs.push({ kind: 'create', object: (action as { object: string }).object, fields: [], action: index });
    if (action.type === 'updateFields' && triggerObject) outputs.push({ kind: 'update', object: triggerObject, fields: Object.keys((action as { values: object }).values), action: index });
  });
  return outputs;
}

function accepts(trigger: WorkflowTrigger, output: Output): boolean {
  if (!('object' in trigger) || trigger.object !== output.object) return false;
  switch (trigger.type) {
    case 'recordCreated':
      return output.kind === 'create';
    case 'recordUpdated':
      return output.kind === 'update' && (trigger.fields === undefined || trigger.fields.some((field) => output.fields.includes(field)));
    case 'fieldChanged':
      return output.kind === 'update' && output.fields.includes(trigger.field);
    default:
      return false;
  }
}

/**
 * `self`: actions that fire the workflow's own trigger (refused at save); `through`: a cycle
 * through other enabled workflows (a warning: their conditions may break it).
 */
export function findLoops(workflow: WorkflowDefinition, metadata: WorkspaceMetadata): { self: InputProblem[]; through: InputProblem[] } {
  const self = outputsOf(workflow).filter((output) => accepts(workflow.trigger, output)).map((output) => ({
    path: `/actions/${output.action}`,
    code: 'loop',
    message: `changes what the workflow's own trigger listens to (${output.kind === 'create' ? `a new ${output.object}` : output.fields.join(', ')}), so each run would start another; watch other fields (trigger.fields) or change another record`,
  }));
  if (workflow.enabled === false) return { self, through: [] };
  const others = [...metadata.workflows.values()].filter((stored) => stored.name !== workflow.name && stored.body.enabled !== false).map((stored) => stored.body);
  const all = [workflow, ...others];
  // Breadth-first from this workflow's outputs, remembering how each workflow was reached.
  const reachedFrom = new Map<string, string>();
  let frontier = [workflow];
  while (frontier.length > 0) {
    const next: WorkflowDefinition[] = [];
    for (const from of frontier) {
      for (const output of outputsOf(from)) {
        for (const candidate of all) {
          if (!accepts(candidate.trigger, output) || reachedFrom.has(candidate.name) || (candidate === from && from === workflow)) continue;
          reachedFrom.set(candidate.name, from.name);
          if (candidate === workflow) {
            const cycle = [workflow.name];
            for (let at = from.name; at !== workflow.name; at = reachedFrom.get(at)!) cycle.unshift(at);
            cycle.unshift(workflow.name);
            return { self, through: [{ path: '/actions', code: 'loop', message: `workflows may trigger each other in a loop: ${cycle.join(' → ')}; runs stop at the depth limit` }] };
          }
          next.push(candidate);
        }
      }
    }
    frontier = next;
  }
  return { self, through: [] };
}
