import * as path from 'node:path';
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { WebConfig } from '../../shared/api';
import { Auth } from './constructs/auth';
import { Data } from './constructs/data';
import { Ops } from './constructs/ops';
import { REPO_ROOT } from './constructs/project-function';
import { Realtime } from './constructs/realtime';
import { RestApi } from './constructs/rest-api';
import { Web } from './constructs/web';

export interface TelehealthStackProps extends StackProps {
  /** @default web/dist of the repository */
  readonly webDistDir?: string;
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
}

/**
 * The whole product on AWS. Construction order follows the dependencies: the web app's origin is
 * what the APIs allow (CORS), and the APIs' origins are what the web app may connect to (CSP) —
 * the latter is bound after the APIs exist, which keeps CloudFormation free of cycles because the
 * distribution depends only on the API resources, never on their functions or deployments.
 */
export class TelehealthStack extends Stack {
  readonly auth: Auth;
  readonly data: Data;
  readonly web: Web;
  readonly restApi: RestApi;
  readonly realtime: Realtime;
  readonly ops: Ops;

  constructor(scope: Construct, id: string, props: TelehealthStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('project', 'telehealth');
    Tags.of(this).add('data-classification', 'phi');

    this.auth = new Auth(this, 'Auth');
    this.data = new Data(this, 'Data');
    this.web = new Web(this, 'Web', {
      siteDir: props.webDistDir ?? path.join(REPO_ROOT, 'web', 'dist'),
      region: this.region,
    });

    // Never DYNAMODB_ENDPOINT or COGNITO_LOCAL_ENDPOINT here: those switch the handlers to the
    // local platform (and its publicly known token signing key).
    const environment: Record<string, string> = {
      TABLE_NAME: this.data.table.tableName,
      USER_POOL_ID: this.auth.userPool.userPoolId,
      USER_POOL_CLIENT_ID: this.auth.userPoolClient.userPoolClientId,
      ALLOWED_ORIGINS: this.web.origin,
      POWERTOOLS_SERVICE_NAME: 'telehealth',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };

    this.restApi = new RestApi(this, 'Api', {
      auth: this.auth,
      data: this.data,
      allowedOrigins: [this.web.origin],
      environment,
    });
    this.realtime = new Realtime(this, 'Realtime', { data: this.data, environment });

    this.web.allowConnectTo(this.restApi.origin, this.realtime.origin);
    const webConfig: WebConfig = {
      stage: 'aws',
      region: this.region,
      userPoolId: this.auth.userPool.userPoolId,
      userPoolClientId: this.auth.userPoolClient.userPoolClientId,
      authFlow: 'USER_SRP_AUTH',
      apiUrl: this.restApi.url,
      wsUrl: this.realtime.url,
    };
    this.web.publishConfig(webConfig);

    this.ops = new Ops(this, 'Ops', {
      restApi: this.restApi.api,
      functions: {
        ...this.restApi.functions,
        ...this.realtime.functions,
        wsAuthorizer: this.realtime.authorizerFunction,
      },
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'WebUrl', { value: this.web.origin, description: 'The web app' });
    new CfnOutput(this, 'ApiUrl', { value: this.restApi.url, description: 'REST API base URL' });
    new CfnOutput(this, 'WsUrl', { value: this.realtime.url, description: 'WebSocket API URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
  }
}
