"""Learning modules: module pages, quizzes, practical tasks, progress."""
