import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** A rate-based rule: at most `limit` requests per IP in any 5-minute window, then 429/403 by WAF. */
export interface RateRule {
  readonly name: string;
  /** Requests per client IP per 5 minutes (WAF's minimum is 10). */
  readonly limit: number;
  /** Only requests whose URI path ends with this and whose method is `method` count. */
  readonly scope?: { readonly pathSuffix: string; readonly method: string };
}

export interface FirewallProps {
  /** `CLOUDFRONT` web ACLs must be created in us-east-1; `REGIONAL` ones in the resource's region. */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Name prefix of the metrics and the log group (`aws-waf-logs-<name>`). */
  readonly name: string;
  /** Evaluated after the managed rule groups, in order. */
  readonly rateRules: readonly RateRule[];
  /**
   * Rules of AWSManagedRulesCommonRuleSet that only count instead of blocking. The API sets
   * SizeRestrictions_BODY here: WAF inspects 8 KB of a regional body, the handlers allow 64 KB.
   */
  readonly countOnlyCommonRules?: readonly string[];
  /**
   * What the rate rules answer instead of WAF's bare 403: 429 with this JSON body and headers.
   * @default - WAF's default block response
   */
  readonly rateLimitedResponse?: {
    readonly json: string;
    readonly headers: Readonly<Record<string, string>>;
  };
}

const RATE_LIMITED_BODY = 'rateLimited';

/** The managed rule groups every web ACL of the stack runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/**
 * An AWS WAFv2 web ACL: the AWS managed common and known-bad-inputs rule groups, then per-IP
 * rate-based rules. Only blocked and counted requests are logged (to `aws-waf-logs-<name>`, with the
 * Authorization header redacted), which keeps the logs cheap and free of tokens.
 */
export class Firewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });

    const managed: CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((group, priority) => ({
      name: group,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: group,
          ...(group === 'AWSManagedRulesCommonRuleSet' && props.countOnlyCommonRules?.length
            ? {
                ruleActionOverrides: props.countOnlyCommonRules.map((name) => ({
                  name,
                  actionToUse: { count: {} },
                })),
              }
            : {}),
        },
      },
      visibilityConfig: visibility(`${props.name}-${group}`),
    }));

    const rate: CfnWebACL.RuleProperty[] = props.rateRules.map((rule, index) => ({
      name: rule.name,
      priority: MANAGED_RULE_GROUPS.length + index,
      action: {
        block: props.rateLimitedResponse
          ? {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: RATE_LIMITED_BODY,
                responseHeaders: Object.entries(props.rateLimitedResponse.headers).map(([name, value]) => ({
                  name,
                  value,
                })),
              },
            }
          : {},
      },
      statement: {
        rateBasedStatement: {
          limit: rule.limit,
          aggregateKeyType: 'IP',
          ...(rule.scope ? { scopeDownStatement: scopeDown(rule.scope) } : {}),
        },
      },
      visibilityConfig: visibility(`${props.name}-${rule.name}`),
    }));

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: props.scope,
      defaultAction: { allow: {} },
      description: `Telehealth ${props.name}: AWS managed rules and per-IP rate limits`,
      rules: [...managed, ...rate],
      ...(props.rateLimitedResponse
        ? {
            customResponseBodies: {
              [RATE_LIMITED_BODY]: {
                contentType: 'APPLICATION_JSON',
                content: props.rateLimitedResponse.json,
              },
            },
          }
        : {}),
      visibilityConfig: visibility(props.name),
    });

    // WAF requires the `aws-waf-logs-` prefix, so the name is fixed; a retained group would block
    // re-creating the stack under the same name, so this one goes with the stack.
    const stack = Stack.of(this);
    const logGroupName = `aws-waf-logs-${stack.stackName}-${props.name}`;
    const logs = new LogGroup(this, 'Logs', {
      logGroupName,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The log group's ARN without the `:*` that its Arn attribute ends with: WAF refuses that.
      logDestinationConfigs: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: ['BLOCK', 'COUNT'].map((action) => ({
          Behavior: 'KEEP',
          Requirement: 'MEETS_ANY',
          Conditions: [{ ActionCondition: { Action: action } }],
        })),
      },
    });
    logging.node.addDependency(logs);
  }
}

function scopeDown(scope: { pathSuffix: string; method: string }): CfnWebACL.StatementProperty {
  const matches = (
    field: CfnWebACL.FieldToMatchProperty,
    searchString: string,
    positionalConstraint: string,
  ): CfnWebACL.StatementProperty => ({
    byteMatchStatement: {
      fieldToMatch: field,
      searchString,
      positionalConstraint,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  });
  return {
    andStatement: {
      statements: [
        matches({ uriPath: {} }, scope.pathSuffix, 'ENDS_WITH'),
        matches({ method: {} }, scope.method, 'EXACTLY'),
      ],
    },
  };
}
