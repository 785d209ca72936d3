-- placeholder: filled by its issue's work (a migration must hold at least one statement)
SELECT 1;
