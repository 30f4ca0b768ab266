DROP TABLE lti_handoffs;
DROP TABLE lti_deep_links;
DROP TABLE lti_grade_links;
DROP TABLE lti_users;
DROP TABLE lti_nonces;
DROP TABLE lti_logins;
DROP TABLE lti_platforms;
DROP TABLE lti_tool_keys;
