DROP TABLE quiz_attempts;
DROP TABLE lesson_completions;
DROP TABLE enrolments;
DROP TABLE quiz_revisions;
DROP TABLE lesson_revisions;
DROP TABLE course_items;
DROP TABLE modules;
DROP TABLE courses;
