/** The tools a repo gets when none are named: one of each kind, useful at once. */
export function defaultTools(): Array<Record<string, unknown>> {
  return [
    {
      name: 'search_records',
      access: 'read',
      description: "Search the caller's records by text. Returns the matching records, newest first; changes nothing.",
      params: [
        { name: 'query', type: 'string', description: 'Text to look for in the records (all records if empty).', required: false },
        { name: 'limit', type: 'integer', description: 'Largest number of records to return (1-100).', required: false },
      ],
    },
    {
      name: 'get_record',
      access: 'read',
      description: "Fetch one of the caller's records by its id. Returns an error result if there is no such record.",
      params: [{ name: 'id', type: 'string', description: 'The id of the record, as returned by search_records.', required: true }],
    },
    {
      name: 'create_record',
      access: 'write',
      description: "Create a record for the caller's tenant and return it with its new id.",
      params: [
        { name: 'name', type: 'string', description: 'Name of the record.', required: true },
        { name: 'notes', type: 'string', description: 'Free-text notes to store with the record.', required: false },
      ],
    },
  ];
}
