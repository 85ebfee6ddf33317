import {
  expectLoginError,
  expectNotLoginError,
  type LoginCase,
  type NotLoginCase,
} from '../support/expect-diagnosis';

// Platforms' documented login-error messages that carry no code the tables can look up (issue 10, part 1:
// primary-source code tables). Each is a platform phrase with the page that documents it
// (knowledge/platforms/<id>.yml); the texts here are made up around the documented wording, never quoted
// from a corpus item, and each phrase is shown beside the near miss it must leave alone.

describe("NetSuite's documented detail for a refused login", () => {
  test.each<LoginCase>([
    {
      text: 'sync failed: NetSuite said Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      platform: 'netsuite',
      cause: 'unknown',
    },
  ])('$text', expectLoginError);

  test.each<NotLoginCase>([
    // the two words alone are as often a first setup's refusal told in prose
    {
      text: 'Getting an invalid login attempt from NetSuite on my first SuiteTalk call, the same request works in Postman',
    },
  ])('$text', expectNotLoginError);
});
