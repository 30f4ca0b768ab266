DROP TABLE app_flags;
DROP TABLE app_secrets;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE organisations;
