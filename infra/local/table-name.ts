/** The local platform's one table (on AWS the CDK names it). */
export const TABLE_NAME = 'Telehealth';
