package courses

import (
	"context"
	"fmt"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// errItemSlugTaken is the answer to a second item with the same file name.
var errItemSlugTaken = apperr.NewValidation("slug", "Deze cursus heeft al een onderdeel met deze naam.")

// AllCourses lists every course for authors, drafts included.
func (s *Store) AllCourses(ctx context.Context) ([]Listing, error) {
	var out []Listing
	err := s.db.NewSelect().Model(&out).ModelTableExpr("courses AS c").ColumnExpr("c.*").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'lesson') AS lessons").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'quiz') AS quizzes").
		OrderExpr("c.title").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: all courses: %w", err)
	}
	return out, nil
}

// Touch moves the course's version on, so cached outlines and pages are
// refreshed.
func (s *Store) Touch(ctx context.Context, courseID int64) error {
	s.courseChanged()
	if _, err := s.db.NewRaw("UPDATE courses SET version = version + 1, updated_at = now() WHERE id = ?", courseID).Exec(ctx); err != nil {
		return fmt.Errorf("courses: touch course %d: %w", courseID, err)
	}
	return nil
}

// InsertCourse stores a new course and fills in what the database sets;
// ErrSlugTaken when the slug exists.
func (s *Store) InsertCourse(ctx context.Context, c *Course) error {
	if _, err := s.db.NewInsert().Model(c).Returning("*").Exec(ctx); err != nil {
		if isUnique(err) {
			return ErrSlugTaken
		}
		return fmt.Errorf("courses: create course: %w", err)
	}
	return nil
}

// UpdateCourse changes a course's details; ErrSlugTaken, ErrNotFound.
func (s *Store) UpdateCourse(ctx context.Context, id int64, in CourseInput) error {
	s.courseChanged()
	res, err := s.db.NewUpdate().Table("courses").Set("slug = ?, title = ?, summary = ?, audience = ?, study_hours = ?",
		in.Slug, in.Title, in.Summary, in.Audience, in.StudyHours).Set("version = version + 1, updated_at = now()").
		Where("id = ?", id).Exec(ctx)
	if isUnique(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("courses: update course: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SetStatus publishes or unpublishes a course; publishing first time sets
// published_at.
func (s *Store) SetStatus(ctx context.Context, id int64, status string) error {
	s.courseChanged()
	_, err := s.db.NewUpdate().Table("courses").Set("status = ?", status).
		Set("published_at = CASE WHEN ? THEN coalesce(published_at, now()) ELSE published_at END", status == StatusPublished).
		Set("version = version + 1, updated_at = now()").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("courses: publish: %w", err)
	}
	return nil
}

// LockCourseBySlug returns the course with slug, locked until the
// transaction ends.
func (s *Store) LockCourseBySlug(ctx context.Context, slug string) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Where("slug = ?", slug).For("UPDATE").Scan(ctx); err != nil {
		return nil, notFound(err, "course")
	}
	return c, nil
}

// UpdateCourseDetails writes a course's title, summary, audience and hours
// as an import read them, moving its version on.
func (s *Store) UpdateCourseDetails(ctx context.Context, c *Course) error {
	s.courseChanged()
	if _, err := s.db.NewUpdate().Model(c).Column("title", "summary", "audience", "study_hours").
		Set("version = version + 1").Set("updated_at = now()").WherePK().Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("courses: update course: %w", err)
	}
	return nil
}

// Modules are the course's modules in order.
func (s *Store) Modules(ctx context.Context, courseID int64) ([]Module, error) {
	var mods []Module
	if err := s.db.NewSelect().Model(&mods).Where("course_id = ?", courseID).Order("position", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: modules: %w", err)
	}
	return mods, nil
}

// Items are every item of the course.
func (s *Store) Items(ctx context.Context, courseID int64) ([]Item, error) {
	var items []Item
	if err := s.db.NewSelect().Model(&items).Where("course_id = ?", courseID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: items: %w", err)
	}
	return items, nil
}

// AppendModule adds a module at the end of the course.
func (s *Store) AppendModule(ctx context.Context, courseID int64, title, summary string) error {
	_, err := s.db.NewRaw(`INSERT INTO modules (course_id, position, title, summary)
		SELECT ?, coalesce(max(position) + 1, 0), ?, ? FROM modules WHERE course_id = ?`, courseID, title, summary, courseID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("courses: add module: %w", err)
	}
	return nil
}

// RenameModule changes the title and summary of module id of the course.
func (s *Store) RenameModule(ctx context.Context, courseID, id int64, title, summary string) error {
	res, err := s.db.NewRaw("UPDATE modules SET title = ?, summary = ? WHERE id = ? AND course_id = ?", title, summary, id, courseID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("courses: rename module: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SaveModule inserts m (ID 0) or writes its title, summary and position.
func (s *Store) SaveModule(ctx context.Context, m *Module) error {
	var err error
	if m.ID == 0 {
		_, err = s.db.NewInsert().Model(m).Returning("id").Exec(ctx)
	} else {
		_, err = s.db.NewUpdate().Model(m).Column("title", "summary", "position").WherePK().Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("courses: save module: %w", err)
	}
	return nil
}

// moveTables are the tables whose rows Move reorders, with the column that
// groups them.
var moveTables = map[string]string{"modules": "course_id", "course_items": "module_id"}

// Move swaps row id of table (modules or course_items) with its neighbour
// in its group (dir −1 up, +1 down), first renumbering the group so
// positions have no gaps. It returns the row's course.
func (s *Store) Move(ctx context.Context, table string, id int64, dir int) (int64, error) {
	group, ok := moveTables[table]
	if !ok {
		return 0, ErrNotFound
	}
	var row struct {
		CourseID int64
		GroupID  int64
	}
	q := fmt.Sprintf("SELECT course_id, %s AS group_id FROM %s WHERE id = ? FOR UPDATE", group, table)
	if err := s.db.NewRaw(q, id).Scan(ctx, &row); err != nil {
		return 0, notFound(err, "move")
	}
	renumber := fmt.Sprintf(`UPDATE %[1]s t SET position = r.n FROM (
		SELECT id, row_number() OVER (ORDER BY position, id) - 1 AS n FROM %[1]s WHERE %[2]s = ?) r WHERE t.id = r.id`, table, group)
	if _, err := s.db.NewRaw(renumber, row.GroupID).Exec(ctx); err != nil {
		return 0, fmt.Errorf("courses: renumber %s: %w", table, err)
	}
	var pos, count int
	if err := s.db.NewRaw(fmt.Sprintf("SELECT position, (SELECT count(*) FROM %s WHERE %s = ?) FROM %s WHERE id = ?", table, group, table),
		row.GroupID, id).Scan(ctx, &pos, &count); err != nil {
		return 0, fmt.Errorf("courses: position in %s: %w", table, err)
	}
	target := pos + dir
	if target < 0 || target >= count {
		return row.CourseID, nil
	}
	swap := fmt.Sprintf(`UPDATE %s SET position = CASE WHEN id = ? THEN ? ELSE ? END
		WHERE %s = ? AND (id = ? OR position = ?)`, table, group)
	if _, err := s.db.NewRaw(swap, id, target, pos, row.GroupID, id, target).Exec(ctx); err != nil {
		return 0, fmt.Errorf("courses: move in %s: %w", table, err)
	}
	return row.CourseID, nil
}

// LockModule locks module id and returns its course and how many items it holds.
func (s *Store) LockModule(ctx context.Context, id int64) (courseID int64, items int, err error) {
	err = s.db.NewRaw("SELECT course_id, (SELECT count(*) FROM course_items WHERE module_id = m.id) FROM modules m WHERE id = ? FOR UPDATE", id).
		Scan(ctx, &courseID, &items)
	if err != nil {
		return 0, 0, notFound(err, "module")
	}
	return courseID, items, nil
}

// DeleteModule removes module id (its items go with it).
func (s *Store) DeleteModule(ctx context.Context, id int64) error {
	if _, err := s.db.NewDelete().Model((*Module)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("courses: delete module: %w", err)
	}
	return nil
}

// DeleteItem removes item id with its learners' records of it and returns
// its course.
func (s *Store) DeleteItem(ctx context.Context, id int64) (int64, error) {
	var courseID int64
	if err := s.db.NewRaw("DELETE FROM course_items WHERE id = ? RETURNING course_id", id).Scan(ctx, &courseID); err != nil {
		return 0, notFound(err, "item")
	}
	return courseID, nil
}

// AppendItem adds an item of kind at the end of module m.
func (s *Store) AppendItem(ctx context.Context, m *Module, kind, slug string) (*Item, error) {
	it := &Item{CourseID: m.CourseID, ModuleID: m.ID, Kind: kind, Slug: slug}
	err := s.db.NewRaw(`INSERT INTO course_items (course_id, module_id, position, kind, slug)
		SELECT ?, ?, coalesce(max(position) + 1, 0), ?, ? FROM course_items WHERE module_id = ? RETURNING id, position`,
		m.CourseID, m.ID, kind, slug, m.ID).Scan(ctx, &it.ID, &it.Position)
	if isUnique(err) {
		return nil, errItemSlugTaken
	}
	if err != nil {
		return nil, fmt.Errorf("courses: add item: %w", err)
	}
	return it, nil
}

// InsertItem stores it (without a revision yet) and sets its id.
func (s *Store) InsertItem(ctx context.Context, it *Item) error {
	if _, err := s.db.NewInsert().Model(it).ExcludeColumn("current_revision_id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("courses: insert item: %w", err)
	}
	return nil
}

// PlaceItem writes the item's module and position.
func (s *Store) PlaceItem(ctx context.Context, it *Item) error {
	if _, err := s.db.NewUpdate().Model(it).Column("module_id", "position").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("courses: place item: %w", err)
	}
	return nil
}

// LockItem returns item id, locked until the transaction ends.
func (s *Store) LockItem(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	if err := s.db.NewSelect().Model(it).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, notFound(err, "item")
	}
	return it, nil
}

// RenameItem changes the item's file name (slug).
func (s *Store) RenameItem(ctx context.Context, id int64, slug string) error {
	if _, err := s.db.NewRaw("UPDATE course_items SET slug = ? WHERE id = ?", slug, id).Exec(ctx); err != nil {
		if isUnique(err) {
			return errItemSlugTaken
		}
		return fmt.Errorf("courses: rename item: %w", err)
	}
	return nil
}

// SetRevision makes revID the current revision of item itemID.
func (s *Store) SetRevision(ctx context.Context, itemID, revID int64) error {
	if _, err := s.db.NewRaw("UPDATE course_items SET current_revision_id = ? WHERE id = ?", revID, itemID).Exec(ctx); err != nil {
		return fmt.Errorf("courses: set revision: %w", err)
	}
	return nil
}

// InsertLessonRevision stores a new lesson revision and sets its id.
func (s *Store) InsertLessonRevision(ctx context.Context, rev *LessonRevision) error {
	if _, err := s.db.NewInsert().Model(rev).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("courses: insert lesson revision: %w", err)
	}
	return nil
}

// InsertQuizRevision stores a new quiz revision and sets its id.
func (s *Store) InsertQuizRevision(ctx context.Context, rev *QuizRevision) error {
	if _, err := s.db.NewInsert().Model(rev).ExcludeColumn("created_at").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("courses: insert quiz revision: %w", err)
	}
	return nil
}

// ModuleByID returns a module.
func (s *Store) ModuleByID(ctx context.Context, id int64) (*Module, error) {
	m := new(Module)
	if err := s.db.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "module")
	}
	return m, nil
}

// ItemByID returns an item.
func (s *Store) ItemByID(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	if err := s.db.NewSelect().Model(it).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "item")
	}
	return it, nil
}
