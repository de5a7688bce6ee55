import { Stack, type CfnElement, type NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** A resource as the CDK tests read it. */
export type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [key: string]: unknown;
};

/** Resources and outputs of a stack and of its nested stacks, as one template. */
export interface FlatTemplate {
  readonly Resources: Record<string, Resource>;
  readonly Outputs: Record<string, { Value: unknown; [key: string]: unknown }>;
}

/** The stacks nested directly in `stack`. */
export function nestedStacksOf(stack: Stack): NestedStack[] {
  return stack.node
    .findAll()
    .filter(
      (c): c is NestedStack => Stack.isStack(c) && c.nested && (c as NestedStack).nestedStackParent === stack,
    );
}

/** The logical id of a construct's CloudFormation resource, in whichever stack (nested or not) it is. */
export function logicalIdIn(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

/** `value` with every part for which `replace` answers something replaced by that (deeply). */
function mapDeep(value: unknown, replace: (part: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, replace));
  if (value === null || typeof value !== 'object') return value;
  const part = value as Record<string, unknown>;
  const replaced = replace(part);
  if (replaced !== undefined) return replaced;
  return Object.fromEntries(Object.entries(part).map(([k, v]) => [k, mapDeep(v, replace)]));
}

/**
 * `stack`'s template with its nested stacks' templates merged in, and every reference between them
 * resolved as CloudFormation will: in a nested template, `{"Ref": <parameter>}` becomes the value the
 * parent passes for it; in the parent, `{"Fn::GetAtt": [<nested stack>, "Outputs.<name>"]}` becomes
 * that output's value. Assertions then check the same facts whichever stack holds a resource (an
 * integration targets its function, an alarm watches a function in the other stack). Logical ids stay
 * each stack's own ({@link logicalIdIn}); a clash between stacks fails here rather than hiding a resource.
 * The cycle check stays per stack: CloudFormation orders each template on its own (see the tests).
 */
export function flatTemplate(stack: Stack): FlatTemplate {
  const own = Template.fromStack(stack).toJSON() as Partial<FlatTemplate>;
  let resources: Record<string, Resource> = { ...own.Resources };
  let outputs = { ...own.Outputs };
  for (const nested of nestedStacksOf(stack)) {
    const nestedId = logicalIdIn(nested.nestedStackResource!);
    const parameters = (resources[nestedId]?.Properties?.Parameters ?? {}) as Record<string, unknown>;
    const inner = flatTemplate(nested);
    const fromParameters = (part: Record<string, unknown>) =>
      typeof part.Ref === 'string' && part.Ref in parameters ? parameters[part.Ref] : undefined;
    const innerResources = mapDeep(inner.Resources, fromParameters) as Record<string, Resource>;
    const innerOutputs = mapDeep(inner.Outputs, fromParameters) as FlatTemplate['Outputs'];
    const fromOutputs = (part: Record<string, unknown>) => {
      const getAtt = part['Fn::GetAtt'] as [string, string] | undefined;
      if (!getAtt || getAtt[0] !== nestedId || !getAtt[1].startsWith('Outputs.')) return undefined;
      const output = innerOutputs[getAtt[1].slice('Outputs.'.length)];
      if (!output) throw new Error(`${nestedId} has no output ${getAtt[1]}`);
      return output.Value;
    };
    resources = mapDeep(resources, fromOutputs) as Record<string, Resource>;
    outputs = mapDeep(outputs, fromOutputs) as FlatTemplate['Outputs'];
    for (const [id, resource] of Object.entries(innerResources)) {
      if (id in resources)
        throw new Error(`Logical id ${id} is in ${stack.node.path} and ${nested.node.path}`);
      resources[id] = resource;
    }
  }
  return { Resources: resources, Outputs: outputs };
}
