"""Messages core shows to people, each with a stable id, an English template and parameters,
so the app can show them in its language while core stays Qt-free.

A ``Message`` is the English text itself (a ``str``: logs, the command line and tests read it
unchanged) that also remembers its id and parameters. Across a process boundary it travels as
plain text plus ``wire()`` data; ``unwire()`` restores it. The app renders it with
``QCoreApplication.translate("core", template).format(**params)`` (ui.i18n.core_text);
``QT_TRANSLATE_NOOP`` below only marks the templates for pyside6-lupdate.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate reads
    return text


CATALOGUE = {
    # The data report (core.data.DataReport.lines)
    "report.rows": QT_TRANSLATE_NOOP(
        "core", "{rows} read, {kept:,} kept ({train:,} train, {validation:,} validation)."),
    "report.texts": QT_TRANSLATE_NOOP(
        "core", "{texts} read, {kept:,} kept; {train}, {validation}."),
    "report.dropped": QT_TRANSLATE_NOOP("core", "Dropped {rows}: {reason}."),
    "report.duplicate": QT_TRANSLATE_NOOP(
        "core", "{rows} is an exact duplicate of an earlier row (kept)."),
    "report.duplicates": QT_TRANSLATE_NOOP(
        "core", "{rows} are exact duplicates of an earlier row (kept)."),
    "report.counts": QT_TRANSLATE_NOOP("core", "{name}: {counts}"),
    "report.lengths": QT_TRANSLATE_NOOP(
        "core", "Tokens per row: median {p50}, 95th percentile {p95}, max {max}; "
        "{truncated:.1%} truncated."),
    "report.lengths_sampled": QT_TRANSLATE_NOOP(
        "core", "Tokens per row, estimated from {sampled:,} of {rows:,} rows: median about "
        "{p50}, 95th percentile about {p95}, longest seen {max}; {truncated:.1%} truncated "
        "(± {error:.1%}). Each percentile is within {points:.1f} percentile points of the "
        "exact one, with {confidence:.0%} confidence."),
    "report.warning": QT_TRANSLATE_NOOP("core", "Warning: {warning}"),
    # Counted nouns ("1 row", "2 rows")
    "count.row": QT_TRANSLATE_NOOP("core", "{count:,} row"),
    "count.rows": QT_TRANSLATE_NOOP("core", "{count:,} rows"),
    "count.text": QT_TRANSLATE_NOOP("core", "{count:,} text"),
    "count.texts": QT_TRANSLATE_NOOP("core", "{count:,} texts"),
    "count.training_block": QT_TRANSLATE_NOOP("core", "{count:,} training block"),
    "count.training_blocks": QT_TRANSLATE_NOOP("core", "{count:,} training blocks"),
    "count.validation_block": QT_TRANSLATE_NOOP("core", "{count:,} validation block"),
    "count.validation_blocks": QT_TRANSLATE_NOOP("core", "{count:,} validation blocks"),
    # What a count counts
    "counts.labels": QT_TRANSLATE_NOOP("core", "Labels"),
    # Why rows were dropped
    "drop.empty": QT_TRANSLATE_NOOP("core", "empty '{column}'"),
    "drop.in_validation_file": QT_TRANSLATE_NOOP("core", "{reason} (validation file)"),
    "drop.unseen_label": QT_TRANSLATE_NOOP("core", "validation label not seen in training"),
    "counts.questions": QT_TRANSLATE_NOOP("core", "Questions"),
    "counts.entities": QT_TRANSLATE_NOOP("core", "Entities"),
    "counts.targets": QT_TRANSLATE_NOOP("core", "Targets"),
    "counts.images": QT_TRANSLATE_NOOP("core", "Images per class"),
    "count.class": QT_TRANSLATE_NOOP("core", "{count:,} class"),
    "count.classes": QT_TRANSLATE_NOOP("core", "{count:,} classes"),
    "count.label": QT_TRANSLATE_NOOP("core", "{count:,} label"),
    "count.labels": QT_TRANSLATE_NOOP("core", "{count:,} labels"),
    # Classification data (core.tasks.classification)
    "data.row_limit": QT_TRANSLATE_NOOP("core", "Using {rows} of the rows (row limit)."),
    "data.no_validation": QT_TRANSLATE_NOOP(
        "core", "No validation data: metrics cannot be computed and the best checkpoint cannot "
        "be chosen."),
    "data.unbalanced": QT_TRANSLATE_NOOP(
        "core", "The classes are very unbalanced; macro F1 is the metric to watch, not accuracy."),
    "data.many_values": QT_TRANSLATE_NOOP(
        "core", "The label column has {values:,} distinct values for {rows:,} rows; is it really "
        "the label?"),
    "data.unseen_label": QT_TRANSLATE_NOOP(
        "core", "{file} has {labels} that the training data does not have ({names}); its row was "
        "left out of validation. Add examples of them to the training file, or correct the "
        "spelling."),
    "data.unseen_labels": QT_TRANSLATE_NOOP(
        "core", "{file} has {labels} that the training data does not have ({names}); those rows "
        "were left out of validation. Add examples of them to the training file, or correct the "
        "spelling."),
    "data.single_example": QT_TRANSLATE_NOOP(
        "core", "{classes} has a single example ({names}): a class seen once is barely learned "
        "and cannot be held out for validation. Add examples, or remove those rows."),
    "data.single_examples": QT_TRANSLATE_NOOP(
        "core", "{classes} have a single example ({names}): a class seen once is barely learned "
        "and cannot be held out for validation. Add examples, or remove those rows."),
    "data.header_repeated": QT_TRANSLATE_NOOP(
        "core", "In {file}, {rows} has the label '{column}', the label column's own name: the "
        "header row is probably repeated inside the data. Remove those rows."),
    "data.headers_repeated": QT_TRANSLATE_NOOP(
        "core", "In {file}, {rows} have the label '{column}', the label column's own name: the "
        "header row is probably repeated inside the data. Remove those rows."),
    "data.header_as_data": QT_TRANSLATE_NOOP(
        "core", "In {file}, the label '{label}' occurs only in the first row, whose short cells "
        "look like column names: the header was probably read as data. If the first row names "
        "the columns, turn on 'First row is a header' ({where})."),
    "data.format_choice": QT_TRANSLATE_NOOP(
        "core", "above the preview on the Data page; --header/--delimiter/--encoding on the "
        "command line"),
    # Named entities data (core.token_data, core.tasks.token_classification)
    "data.conll_read": QT_TRANSLATE_NOOP(
        "core", "{file} is read as a CoNLL-style file (token first, tag last): {sentences:,} "
        "sentences."),
    "data.tags": QT_TRANSLATE_NOOP("core", "The tags are {scheme}."),
    "data.tags_converted": QT_TRANSLATE_NOOP(
        "core", "The tags are {scheme}; they were converted to IOB2 for training."),
    "scheme.iob2": QT_TRANSLATE_NOOP("core", "IOB2 (B- begins every entity)"),
    "scheme.iob1": QT_TRANSLATE_NOOP(
        "core", "IOB1 (I- begins an entity; B- only between two entities of one type)"),
    "scheme.bioes": QT_TRANSLATE_NOOP("core", "BIOES (S- for single-token entities, E- ends one)"),
    "scheme.bilou": QT_TRANSLATE_NOOP("core", "BILOU (U- for single-token entities, L- ends one)"),
    "scheme.io": QT_TRANSLATE_NOOP(
        "core", "plain types without B-/I- prefixes (a run of one type is one entity)"),
    "data.sentences": QT_TRANSLATE_NOOP(
        "core", "{train}, {validation}; words per sentence: median {median}, max {max:,}."),
    "count.training_sentence": QT_TRANSLATE_NOOP("core", "{count:,} training sentence"),
    "count.training_sentences": QT_TRANSLATE_NOOP("core", "{count:,} training sentences"),
    "count.validation_sentence": QT_TRANSLATE_NOOP("core", "{count:,} validation sentence"),
    "count.validation_sentences": QT_TRANSLATE_NOOP("core", "{count:,} validation sentences"),
    "error.one_label": QT_TRANSLATE_NOOP(
        "core", "The label column '{column}' of {file} holds only one value ({value}), so there "
        "is nothing to tell apart."),
    "fix.one_label": QT_TRANSLATE_NOOP(
        "core", "Map the column that holds the classes, or add examples of the other classes."),
    "error.too_few_examples_one": QT_TRANSLATE_NOOP(
        "core", "In the label column '{column}', only 1 of the {classes} has two or more "
        "examples ({listed}): too little to learn to tell classes apart or to hold any out for "
        "validation."),
    "error.too_few_examples_none": QT_TRANSLATE_NOOP(
        "core", "In the label column '{column}', none of the {classes} has two or more examples "
        "({listed}): too little to learn to tell classes apart or to hold any out for "
        "validation."),
    "fix.too_few_examples": QT_TRANSLATE_NOOP(
        "core", "Map the column that holds the classes, or add examples so that at least two "
        "classes have several each."),
    # Regression data (core.tasks.regression)
    "count.usable_row": QT_TRANSLATE_NOOP("core", "{count:,} usable row"),
    "count.usable_rows": QT_TRANSLATE_NOOP("core", "{count:,} usable rows"),
    "count.validation_row": QT_TRANSLATE_NOOP("core", "{count:,} validation row"),
    "count.validation_rows": QT_TRANSLATE_NOOP("core", "{count:,} validation rows"),
    "error.too_few_rows": QT_TRANSLATE_NOOP("core", "{file} has {rows}: too few to learn from."),
    "fix.too_few_scores": QT_TRANSLATE_NOOP(
        "core", "Add rows with a text and a number, or map other columns."),
    "data.few_validation_scores": QT_TRANSLATE_NOOP(
        "core", "Only {rows}: Pearson and Spearman on so few rows say little. Hold out more "
        "rows, or give a larger validation file."),
    "data.targets": QT_TRANSLATE_NOOP(
        "core", "Targets in '{column}' (training rows): {min} to {max}, mean {mean}, standard "
        "deviation {std}. They are learned as they are, so the model (and its export) predicts "
        "in these units."),
    "data.large_targets": QT_TRANSLATE_NOOP(
        "core", "The targets are large (mean {mean}, standard deviation {std}): a model starts "
        "near 0 and learns large numbers slowly. Rescale the column in the file to a few units "
        "(divide it by 1,000, or subtract a typical value), and scale the predictions back."),
    "data.validation_column": QT_TRANSLATE_NOOP(
        "core", "The validation file has no column '{wanted}'; using '{fallback}' instead."),
    "error.empty_validation": QT_TRANSLATE_NOOP("core", "No usable rows remain in {file}."),
    "fix.empty_validation_scores": QT_TRANSLATE_NOOP(
        "core", "Check that its rows have a text and a number."),
    "drop.no_number": QT_TRANSLATE_NOOP("core", "no number in '{column}' (blank or NA)"),
    "data.decimal_commas": QT_TRANSLATE_NOOP(
        "core", "The numbers in '{column}' of {file} are written with decimal commas (like "
        "'{example}'); they are read as decimals ('{example}' is {value})."),
    "data.one_target": QT_TRANSLATE_NOOP(
        "core", "Every target in '{column}' is {value}: the model can only learn to predict that "
        "value, and Pearson and Spearman cannot be computed (they show as 0). Map the column "
        "that holds the scores, or add rows with other values."),
    "data.two_targets": QT_TRANSLATE_NOOP(
        "core", "'{column}' holds only two values ({first} and {second}): if they are classes, "
        "classification (or pair-classification) predicts them as classes, with accuracy and "
        "F1."),
    # Multi-label data (core.tasks.multi_label, core.multi_label_data)
    "list.more": QT_TRANSLATE_NOOP("core", "{first}, {rest}"),
    "data.label_column_unused": QT_TRANSLATE_NOOP(
        "core", "The label column '{column}' is not used: the labels are the 0/1 columns "
        "{columns}."),
    "error.no_labels_column": QT_TRANSLATE_NOOP(
        "core", "No row of {file} has a label: the label column '{column}' is empty in every "
        "row."),
    "error.no_labels_columns": QT_TRANSLATE_NOOP(
        "core", "No row of {file} has a label: the columns {columns} hold only 0 or nothing in "
        "every row."),
    "fix.no_labels": QT_TRANSLATE_NOOP(
        "core", "Map the column that holds the labels (or the 0/1 columns), or add labels to the "
        "rows."),
    "data.validation_text_column": QT_TRANSLATE_NOOP(
        "core", "The validation file has no column '{wanted}'; using '{fallback}' as its text "
        "column."),
    "data.unseen_multi_labels": QT_TRANSLATE_NOOP(
        "core", "{file} has {labels} that the training data does not have ({names}); they were "
        "removed from its rows. Add examples of them to the training file, or correct the "
        "spelling."),
    "fix.empty_validation_texts": QT_TRANSLATE_NOOP("core", "Check that its text column is filled."),
    "labels.none": QT_TRANSLATE_NOOP("core", "none"),
    "labels.three_or_more": QT_TRANSLATE_NOOP("core", "3 or more"),
    "data.labels_in_rows": QT_TRANSLATE_NOOP("core", "{labels} in {rows}"),
    "data.labels_per_row": QT_TRANSLATE_NOOP(
        "core", "Labels per row: {counts}; {average} on average."),
    "data.unlabeled_row": QT_TRANSLATE_NOOP(
        "core", "{rows} has no label ({where}): kept, the model learns that none applies."),
    "data.unlabeled_rows": QT_TRANSLATE_NOOP(
        "core", "{rows} have no label ({where}): kept, the model learns that none applies."),
    "where.empty_label_cell": QT_TRANSLATE_NOOP("core", "an empty '{column}' cell"),
    "where.zero_label_columns": QT_TRANSLATE_NOOP("core", "0 in every label column"),
    "data.one_label_per_row": QT_TRANSLATE_NOOP(
        "core", "Every row has exactly one label: single-label classification (the "
        "'classification' task) fits this data better, unless the labels are meant to be "
        "separated by another delimiter."),
    "data.only_one_label": QT_TRANSLATE_NOOP(
        "core", "There is only one label ({label}): the model learns whether it applies. Check "
        "the labels column and separator."),
    "data.many_labels": QT_TRANSLATE_NOOP(
        "core", "There are {labels:,} distinct labels for {rows}; is it really the labels "
        "column, and the right separator?"),
    "data.label_no_example": QT_TRANSLATE_NOOP(
        "core", "{labels} has no example ({names}): the model cannot learn it."),
    "data.label_no_examples": QT_TRANSLATE_NOOP(
        "core", "{labels} have no example ({names}): the model cannot learn it."),
    "data.label_single_example": QT_TRANSLATE_NOOP(
        "core", "{labels} has a single example ({names}): a label seen once is barely learned "
        "and is kept in training, not validation. Add examples."),
    "data.label_single_examples": QT_TRANSLATE_NOOP(
        "core", "{labels} have a single example ({names}): a label seen once is barely learned "
        "and is kept in training, not validation. Add examples."),
    "data.no_validation_threshold": QT_TRANSLATE_NOOP(
        "core", "No validation data: metrics cannot be computed, the threshold stays 0.5 and the "
        "best checkpoint cannot be chosen."),
    "data.label_lists": QT_TRANSLATE_NOOP("core", "The labels in '{column}' are read as lists."),
    "data.label_delimiter": QT_TRANSLATE_NOOP(
        "core", "Labels in '{column}' are separated by {delimiter} (detected; set "
        "data.label_delimiter to choose another)."),
    "data.no_label_delimiter": QT_TRANSLATE_NOOP(
        "core", "No cell of '{column}' holds several labels separated by , ; or |, so each row "
        "has at most one label; labels with spaces are kept whole (set data.label_delimiter if "
        "the labels are separated by spaces or something else)."),
    "delimiter.spaces": QT_TRANSLATE_NOOP("core", "spaces"),
    "data.separator_unused": QT_TRANSLATE_NOOP(
        "core", "No cell of '{column}' in {file} contains the separator '{given}', so each row "
        "has one label."),
    "data.separator_unused_other": QT_TRANSLATE_NOOP(
        "core", "No cell of '{column}' in {file} contains the separator '{given}', so each row "
        "has one label. Its cells are separated by {other}: is that the separator?"),
    # Question answering data (core.tasks.question_answering, core.qa_data)
    "count.question": QT_TRANSLATE_NOOP("core", "{count:,} question"),
    "count.questions": QT_TRANSLATE_NOOP("core", "{count:,} questions"),
    "count.context": QT_TRANSLATE_NOOP("core", "{count:,} context"),
    "count.contexts": QT_TRANSLATE_NOOP("core", "{count:,} contexts"),
    "count.training_question": QT_TRANSLATE_NOOP("core", "{count:,} training question"),
    "count.training_questions": QT_TRANSLATE_NOOP("core", "{count:,} training questions"),
    "count.validation_question": QT_TRANSLATE_NOOP("core", "{count:,} validation question"),
    "count.validation_questions": QT_TRANSLATE_NOOP("core", "{count:,} validation questions"),
    "count.unanswerable_question": QT_TRANSLATE_NOOP("core", "{count:,} unanswerable question"),
    "count.unanswerable_questions": QT_TRANSLATE_NOOP(
        "core", "{count:,} unanswerable questions"),
    "count.training_window": QT_TRANSLATE_NOOP("core", "{count:,} training window"),
    "count.training_windows": QT_TRANSLATE_NOOP("core", "{count:,} training windows"),
    "count.answer": QT_TRANSLATE_NOOP("core", "{count:,} answer"),
    "count.answers": QT_TRANSLATE_NOOP("core", "{count:,} answers"),
    "count.answer_start": QT_TRANSLATE_NOOP("core", "{count:,} answer start"),
    "count.answer_starts": QT_TRANSLATE_NOOP("core", "{count:,} answer starts"),
    "which.training": QT_TRANSLATE_NOOP("core", "training"),
    "which.validation": QT_TRANSLATE_NOOP("core", "validation"),
    "error.answer_column_empty": QT_TRANSLATE_NOOP(
        "core", "The answer column '{column}' of {file} is empty in every row, so there is no "
        "answer to learn to find."),
    "fix.no_answers": QT_TRANSLATE_NOOP(
        "core", "Map the answer column to the column that holds the answers (copied from the "
        "contexts)."),
    "data.file_column_guessed": QT_TRANSLATE_NOOP(
        "core", "{file} has no column '{wanted}'; using '{fallback}' instead."),
    "data.no_answer_start": QT_TRANSLATE_NOOP(
        "core", "{file} has no column '{wanted}'; its answers are found in their contexts."),
    "data.question_limit": QT_TRANSLATE_NOOP(
        "core", "Using {questions:,} of the questions (row limit)."),
    "data.no_validation_qa": QT_TRANSLATE_NOOP(
        "core", "No validation data: exact match and F1 cannot be computed and the best "
        "checkpoint cannot be chosen."),
    "data.too_few_questions": QT_TRANSLATE_NOOP(
        "core", "Too few questions to hold any out for validation."),
    "data.questions_held_out": QT_TRANSLATE_NOOP(
        "core", "{questions} about {contexts} are held out for validation; the model never "
        "trains on those contexts."),
    "error.window_too_small": QT_TRANSLATE_NOOP(
        "core", "No {which} question fits in a window of {max_length} tokens that shares "
        "{stride} tokens with the next (the shortest question has {shortest} tokens)."),
    "fix.window_too_small": QT_TRANSLATE_NOOP(
        "core", "Raise the window length (task.max_length; 384 is usual) or lower the context "
        "overlap (task.doc_stride)."),
    "drop.question_too_long": QT_TRANSLATE_NOOP(
        "core", "{which} question too long for the window"),
    "data.question_too_long": QT_TRANSLATE_NOOP(
        "core", "{questions} leaves no room for the context in a window of {max_length} tokens "
        "with an overlap of {stride} (longest: {longest:,} tokens; first: '{first}'); they were "
        "left out. Raise the window length or lower the context overlap to keep them."),
    "data.questions_too_long": QT_TRANSLATE_NOOP(
        "core", "{questions} leave no room for the context in a window of {max_length} tokens "
        "with an overlap of {stride} (longest: {longest:,} tokens; first: '{first}'); they were "
        "left out. Raise the window length or lower the context overlap to keep them."),
    "error.all_unanswerable": QT_TRANSLATE_NOOP(
        "core", "Every one of the {questions} has an empty answer, so there is no answer to "
        "learn to find."),
    "data.unanswerable": QT_TRANSLATE_NOOP(
        "core", "{questions} (empty answer), kept: the model also learns to answer nothing when "
        "the context does not hold the answer (SQuAD 2.0 style)."),
    "data.mostly_unanswerable": QT_TRANSLATE_NOOP(
        "core", "{unanswerable:,} of the {questions:,} training questions ({share:.0%}) have no "
        "answer. If that is not meant, check the answer column: empty cells mean "
        "'unanswerable'."),
    "data.windows": QT_TRANSLATE_NOOP(
        "core", "{several:,} of {contexts} need more than one window of {max_length} tokens "
        "(windows overlap by {stride}); the {questions} make {windows}."),
    "data.long_contexts": QT_TRANSLATE_NOOP(
        "core", "Most contexts are longer than a window: a window length of 384 tokens (usual "
        "for question answering) would need fewer windows."),
    "drop.empty_question": QT_TRANSLATE_NOOP("core", "empty question ({file})"),
    "drop.empty_context": QT_TRANSLATE_NOOP("core", "empty context ({file})"),
    "drop.answer_not_in_context": QT_TRANSLATE_NOOP(
        "core", "answer not in its context ({file})"),
    "data.answer_found": QT_TRANSLATE_NOOP(
        "core", "In {file}, {answers} had no start position and was found by searching the "
        "context for the answer text (its first occurrence)."),
    "data.answers_found": QT_TRANSLATE_NOOP(
        "core", "In {file}, {answers} had no start position and were found by searching the "
        "context for the answer text (its first occurrence)."),
    "data.answer_moved": QT_TRANSLATE_NOOP(
        "core", "In {file}, {starts} did not point at the answer text and was moved to its "
        "nearest occurrence in the context."),
    "data.answers_moved": QT_TRANSLATE_NOOP(
        "core", "In {file}, {starts} did not point at the answer text and were moved to its "
        "nearest occurrence in the context."),
    "fix.answers_in_context": QT_TRANSLATE_NOOP(
        "core", "Check that '{answer}' holds answers copied exactly (same spelling and case) "
        "from the contexts in '{context}', and that the columns are mapped to the right roles."),
    "data.first_missing_answer": QT_TRANSLATE_NOOP("core", "first: {where}, answer '{answer}'"),
    "error.answers_not_in_context": QT_TRANSLATE_NOOP(
        "core", "In {file}, {answers} of {read:,} rows cannot be found in their context "
        "({first}), which leaves {questions} to train on."),
    "data.answer_not_in_context": QT_TRANSLATE_NOOP(
        "core", "In {file}, {answers} is not in its context ({first}); that question was left "
        "out. {fix}"),
    "data.answers_not_in_context": QT_TRANSLATE_NOOP(
        "core", "In {file}, {answers} are not in their context ({first}); those questions were "
        "left out. {fix}"),
    "error.no_questions": QT_TRANSLATE_NOOP(
        "core", "No usable rows remain in {file}: every row's question or context is empty."),
    "fix.no_questions": QT_TRANSLATE_NOOP(
        "core", "Map the question and context columns to columns that hold them."),
    "where.question_id": QT_TRANSLATE_NOOP("core", "question id '{id}'"),
    "where.row": QT_TRANSLATE_NOOP("core", "row {row}"),
    "where.line": QT_TRANSLATE_NOOP("core", "line {line}"),
    # Image classification data (core.tasks.image_classification)
    "error.no_images": QT_TRANSLATE_NOOP("core", "No usable images were found in {source}."),
    "fix.no_images": QT_TRANSLATE_NOOP(
        "core", "Check that the folder (or the table's image column) holds .jpg, .png, .bmp, "
        ".gif or .webp files that open in an image viewer."),
    "data.image_limit": QT_TRANSLATE_NOOP("core", "Using {images:,} of the images (row limit)."),
    "error.one_image_class": QT_TRANSLATE_NOOP(
        "core", "All the usable images of {source} have one class ({label}), so there is nothing "
        "to tell apart."),
    "fix.one_image_class": QT_TRANSLATE_NOOP("core", "Add images of at least one other class."),
    "data.sample_images": QT_TRANSLATE_NOOP("core", "Sample images: {samples}."),
    "error.image_columns": QT_TRANSLATE_NOOP(
        "core", "{file} needs an image path column and a label column."),
    "fix.image_columns": QT_TRANSLATE_NOOP(
        "core", "Name them with data.image_column and data.label_column (--image-column, "
        "--label-column)."),
    "error.missing_images": QT_TRANSLATE_NOOP(
        "core", "None of the image paths in the column '{column}' of {file} names a file that "
        "exists (the first is {first})."),
    "fix.missing_images": QT_TRANSLATE_NOOP(
        "core", "Write the paths relative to the table's folder ({folder}) or as absolute "
        "paths, and check the image column is mapped."),
    "drop.unseen_class": QT_TRANSLATE_NOOP("core", "validation class not seen in training"),
    "data.unseen_classes": QT_TRANSLATE_NOOP(
        "core", "{source} has {classes} that the training data does not have ({names}); those "
        "images were left out of validation. Add examples of them to the training data, or "
        "correct the names."),
    "error.empty_validation_images": QT_TRANSLATE_NOOP(
        "core", "No usable images remain in {source}."),
    "fix.empty_validation_images": QT_TRANSLATE_NOOP(
        "core", "Check that it holds images of the training data's classes (the same folder or "
        "label names)."),
    "error.too_few_images": QT_TRANSLATE_NOOP(
        "core", "Fewer than two classes have two images or more ({listed}): too little to learn "
        "to tell classes apart or to hold any out for validation."),
    "fix.too_few_images": QT_TRANSLATE_NOOP(
        "core", "Add images so that at least two classes have several each."),
    "data.single_image": QT_TRANSLATE_NOOP(
        "core", "{classes} has a single image ({names}): a class seen once is barely learned and "
        "cannot be held out for validation. Add images."),
    "data.single_images": QT_TRANSLATE_NOOP(
        "core", "{classes} have a single image ({names}): a class seen once is barely learned "
        "and cannot be held out for validation. Add images."),
    # Sequence-to-sequence data (core.tasks.seq2seq)
    "count.target": QT_TRANSLATE_NOOP("core", "{count:,} target"),
    "count.targets": QT_TRANSLATE_NOOP("core", "{count:,} targets"),
    "data.no_validation_seq2seq": QT_TRANSLATE_NOOP(
        "core", "No validation data: ROUGE and BLEU cannot be computed and the best checkpoint "
        "cannot be chosen."),
    "data.source_prefix": QT_TRANSLATE_NOOP("core", "Every source starts with the prefix {prefix}."),
    "data.t5_prefix": QT_TRANSLATE_NOOP(
        "core", "{model} models expect a task prefix before every source, as in their "
        "pretraining: set the source prefix (task.source_prefix), e.g. 'summarize: ' or "
        "'translate English to German: '."),
    "data.eos_added": QT_TRANSLATE_NOOP(
        "core", "The tokenizer does not end targets with its end token; it is added so that the "
        "model learns where to stop."),
    "data.targets_cut": QT_TRANSLATE_NOOP(
        "core", "{targets} of {total:,} are longer than the max target length ({max_target} "
        "tokens) and are cut: the model learns to stop mid-sentence. Raise "
        "task.max_target_length to about {p95}."),
    "data.validation_source_column": QT_TRANSLATE_NOOP(
        "core", "The validation file has no column '{wanted}'; using '{fallback}' as its source "
        "column."),
    "data.validation_target_column": QT_TRANSLATE_NOOP(
        "core", "The validation file has no column '{wanted}'; using '{fallback}' as its target "
        "column."),
    "error.few_pairs_one": QT_TRANSLATE_NOOP(
        "core", "Only {rows} of the {read:,} in {file} has both a source and a target: the "
        "column '{column}' is empty in {empty}."),
    "error.few_pairs": QT_TRANSLATE_NOOP(
        "core", "Only {rows} of the {read:,} in {file} have both a source and a target: the "
        "column '{column}' is empty in {empty}."),
    "fix.few_pairs": QT_TRANSLATE_NOOP(
        "core", "Map the source and target columns to the columns that hold the texts."),
    "data.no_targets": QT_TRANSLATE_NOOP("core", "No targets."),
    "data.target_tokens": QT_TRANSLATE_NOOP(
        "core", "Target tokens: median {median}, max {max}; {targets} ({share:.1%}) longer than "
        "the max target length {max_target} is cut."),
    "data.target_tokens_cut": QT_TRANSLATE_NOOP(
        "core", "Target tokens: median {median}, max {max}; {targets} ({share:.1%}) longer than "
        "the max target length {max_target} are cut."),
    # Pair classification and pretraining data (core.tasks.pairs, core.tasks.pretrain)
    "data.same_texts": QT_TRANSLATE_NOOP(
        "core", "In {same:,} of the {pairs:,} pairs of {file} the two texts are identical: check "
        "that the two text columns hold different texts."),
    "error.no_pair_column": QT_TRANSLATE_NOOP(
        "core", "Pair classification needs a second text column, and none is mapped."),
    "fix.no_pair_column": QT_TRANSLATE_NOOP(
        "core", "Map the column that holds the second text of each pair (--text-pair-column), "
        "or choose text classification for single texts."),
    "data.pairs": QT_TRANSLATE_NOOP(
        "core", "{pairs:,} pairs ('{first}' with '{second}'); token lengths count both texts of "
        "a pair together, with the separator tokens."),
    "data.text_limit": QT_TRANSLATE_NOOP("core", "Using {texts} of the texts (row limit)."),
    "data.tokenizer_trained": QT_TRANSLATE_NOOP(
        "core", "Trained a {kind} tokenizer with {tokens} tokens on the training texts."),
    "error.no_mask_token": QT_TRANSLATE_NOOP(
        "core", "This tokenizer has no mask token, so masked language modelling cannot run."),
    "error.too_little_text": QT_TRANSLATE_NOOP(
        "core", "The training text has {tokens} tokens, less than one block of {block}."),
    "fix.too_little_text": QT_TRANSLATE_NOOP(
        "core", "Lower the block size (max length) or add more text."),
    "data.short_held_out_text": QT_TRANSLATE_NOOP(
        "core", "The held-out text is shorter than one block, so there is no evaluation; raise "
        "the validation share or add text."),
    "data.packed": QT_TRANSLATE_NOOP(
        "core", "{texts:,} texts give {tokens:,} tokens, packed into {blocks:,} blocks of "
        "{block} ({leftover} tokens left over); {held_out:,} blocks held out."),
    # Chat and preference data (core.conversations, core.tasks.causal_lm, core.tasks.preference)
    "where.row_named": QT_TRANSLATE_NOOP("core", "Row {row}"),
    "where.row_validation": QT_TRANSLATE_NOOP("core", "Row {row} (validation)"),
    "drop.in_validation": QT_TRANSLATE_NOOP("core", "{reason} (validation)"),
    "drop.not_conversation": QT_TRANSLATE_NOOP("core", "not a usable conversation"),
    "drop.not_pair": QT_TRANSLATE_NOOP("core", "not a usable pair"),
    "drop.same_answers": QT_TRANSLATE_NOOP("core", "chosen and rejected answers are the same"),
    "drop.no_reply_left": QT_TRANSLATE_NOOP("core", "no reply left within the maximum length"),
    "data.rows_dropped": QT_TRANSLATE_NOOP(
        "core", "{rows:,} row(s) dropped; the first: {message} {fix}"),
    "data.rows_dropped_no_fix": QT_TRANSLATE_NOOP(
        "core", "{rows:,} row(s) dropped; the first: {message}"),
    "data.rows_dropped_validation": QT_TRANSLATE_NOOP(
        "core", "{rows:,} row(s) (validation) dropped; the first: {message} {fix}"),
    "data.rows_dropped_validation_no_fix": QT_TRANSLATE_NOOP(
        "core", "{rows:,} row(s) (validation) dropped; the first: {message}"),
    "error.not_json_turns": QT_TRANSLATE_NOOP(
        "core", "{where} is not a conversation: its text is not a JSON list of turns ({text})."),
    "fix.not_json_turns": QT_TRANSLATE_NOOP(
        "core", "Write each conversation as a list like [{{\"role\": \"user\", \"content\": "
        "\"…\"}}, {{\"role\": \"assistant\", \"content\": \"…\"}}], or map prompt and response "
        "columns instead."),
    "error.not_turns": QT_TRANSLATE_NOOP("core", "{where} is not a list of turns."),
    "fix.not_turns": QT_TRANSLATE_NOOP(
        "core", "Write each conversation as a list of {{\"role\": …, \"content\": …}} turns."),
    "error.turn_not_pair": QT_TRANSLATE_NOOP(
        "core", "{where}, turn {turn} is not a role/content pair ({text})."),
    "fix.turn_not_pair": QT_TRANSLATE_NOOP(
        "core", "Write each turn as {{\"role\": \"user\", \"content\": \"…\"}}."),
    "error.turn_keys": QT_TRANSLATE_NOOP(
        "core", "{where}, turn {turn} has the keys {keys}; a turn needs a role (role or from) "
        "and a text (content or value)."),
    "fix.turn_keys": QT_TRANSLATE_NOOP(
        "core", "Use the OpenAI layout (role/content) or ShareGPT's (from/value)."),
    "error.turn_role": QT_TRANSLATE_NOOP(
        "core", "{where}, turn {turn} has the role {role}, which is none of system, user, "
        "assistant (or ShareGPT's human, gpt)."),
    "fix.turn_role": QT_TRANSLATE_NOOP("core", "Rename the role in the data."),
    "error.late_system_turn": QT_TRANSLATE_NOOP(
        "core", "{where} has a system turn after the first turn."),
    "fix.late_system_turn": QT_TRANSLATE_NOOP(
        "core", "Put the system prompt first, once per conversation."),
    "error.no_assistant_answer": QT_TRANSLATE_NOOP(
        "core", "{where} has no assistant answer to learn."),
    "fix.no_assistant_answer": QT_TRANSLATE_NOOP(
        "core", "Each conversation needs at least one non-empty assistant turn."),
    "error.two_turns": QT_TRANSLATE_NOOP("core", "{where} has two {role} turns in a row."),
    "fix.two_turns": QT_TRANSLATE_NOOP(
        "core", "Let user and assistant take turns (merge the two)."),
    "error.assistant_first": QT_TRANSLATE_NOOP("core", "{where} starts with the assistant."),
    "fix.assistant_first": QT_TRANSLATE_NOOP(
        "core", "Start each conversation with the user's turn (after the system prompt)."),
    "layout.conversations": QT_TRANSLATE_NOOP("core", "conversations (column '{column}')"),
    "layout.alpaca": QT_TRANSLATE_NOOP("core", "instruction / input / output (Alpaca)"),
    "layout.prompt_response": QT_TRANSLATE_NOOP("core", "prompt / response"),
    "error.no_rows_left": QT_TRANSLATE_NOOP("core", "No training rows are left after cleaning."),
    "fix.no_rows_left": QT_TRANSLATE_NOOP(
        "core", "Check the column mapping, or raise the maximum length."),
    "data.layout": QT_TRANSLATE_NOOP(
        "core", "Layout: {layout}, {turns:.1f} turns per conversation on average; written with "
        "{template}."),
    "data.loss_all": QT_TRANSLATE_NOOP("core", "The loss is on every token."),
    "data.loss_replies": QT_TRANSLATE_NOOP("core", "The loss is on the assistant's replies only."),
    "data.packing": QT_TRANSLATE_NOOP(
        "core", "Examples are packed: each batch is one row without padding, and attention does "
        "not cross examples."),
    "data.no_end_token": QT_TRANSLATE_NOOP(
        "core", "The chat template ends the assistant's turn without a special token, so "
        "generation runs to the token limit. Choose a template under Hyperparameters > Chat "
        "template."),
    "data.end_token": QT_TRANSLATE_NOOP(
        "core", "Each reply ends with {token}, which is learned and stops generation."),
    "data.end_token_cut": QT_TRANSLATE_NOOP(
        "core", "The reply's end token {token} is not learned in the first example (cut by the "
        "maximum length?), so the model may not learn to stop. Raise the maximum length."),
    "data.pairs_template": QT_TRANSLATE_NOOP(
        "core", "Pairs are written with {template}; the example shows a prompt and its chosen "
        "answer, the part compared with the rejected one."),
    "error.no_pairs": QT_TRANSLATE_NOOP(
        "core", "None of the {rows:,} rows of {file} is a usable preference pair. The first "
        "problem: {first}"),
    "fix.no_pairs": QT_TRANSLATE_NOOP("core", "Check the prompt, chosen and rejected columns."),
    "error.pair_differs": QT_TRANSLATE_NOOP(
        "core", "{where}: the chosen and rejected conversations differ before their last turn."),
    "fix.pair_differs": QT_TRANSLATE_NOOP(
        "core", "Both must continue the same conversation; only the assistant's last answer may "
        "differ."),
    "error.same_answers": QT_TRANSLATE_NOOP(
        "core", "{where} has the same chosen and rejected answer."),
    "fix.same_answers": QT_TRANSLATE_NOOP(
        "core", "A pair teaches something only when the two answers differ."),
    "error.no_chosen_answer": QT_TRANSLATE_NOOP("core", "{where} has no chosen answer."),
    "fix.no_chosen_answer": QT_TRANSLATE_NOOP(
        "core", "Fill in the chosen column, or drop the row."),
    "error.no_rejected_answer": QT_TRANSLATE_NOOP("core", "{where} has no rejected answer."),
    "fix.no_rejected_answer": QT_TRANSLATE_NOOP(
        "core", "Fill in the rejected column, or drop the row."),
    "error.chosen_not_answer": QT_TRANSLATE_NOOP(
        "core", "{where}: the chosen conversation does not end with an assistant's answer."),
    "error.rejected_not_answer": QT_TRANSLATE_NOOP(
        "core", "{where}: the rejected conversation does not end with an assistant's answer."),
    "fix.pair_not_answer": QT_TRANSLATE_NOOP(
        "core", "End each chosen and rejected conversation with the assistant's turn."),
    "error.no_prompt_chosen": QT_TRANSLATE_NOOP(
        "core", "{where} has no prompt before the chosen answer."),
    "error.no_prompt_rejected": QT_TRANSLATE_NOOP(
        "core", "{where} has no prompt before the rejected answer."),
    "fix.no_prompt": QT_TRANSLATE_NOOP(
        "core", "Map the prompt column, or give chosen and rejected as whole conversations (user "
        "turn first)."),
    "data.prompts_cut": QT_TRANSLATE_NOOP(
        "core", "{prompts:,} prompt(s) cut to their last {max_prompt} tokens "
        "(preference.max_prompt_length)."),
    "data.answers_cut": QT_TRANSLATE_NOOP(
        "core", "{pairs:,} pair(s) have an answer cut at the maximum length, so its end is not "
        "compared. Raise the maximum length."),
    # Reading a data file (core.data), continued
    "formats.readable": QT_TRANSLATE_NOOP(
        "core", "CSV, TSV, JSON Lines (.jsonl), JSON, Parquet, Excel (.xlsx) or plain text "
        "(.txt)"),
    "error.header_choice": QT_TRANSLATE_NOOP(
        "core", "'{header}' is not a choice for 'First row is a header'."),
    "fix.header_choice": QT_TRANSLATE_NOOP("core", "Choose auto (detect it), yes or no."),
    "error.data_folder": QT_TRANSLATE_NOOP("core", "{path} is a folder, not a data file."),
    "fix.data_folder": QT_TRANSLATE_NOOP(
        "core", "Choose a file inside it ({readable}); for pretraining, a folder of .txt files "
        "can be chosen as the data itself."),
    "error.data_empty": QT_TRANSLATE_NOOP("core", "The data file {file} is empty."),
    "fix.data_empty": QT_TRANSLATE_NOOP(
        "core", "Choose a file with a header row and at least a few rows of data."),
    "error.header_only": QT_TRANSLATE_NOOP("core", "{file} has a header but no data rows."),
    "fix.header_only": QT_TRANSLATE_NOOP(
        "core", "Add rows below the header, or choose another file."),
    "data.read_as_tsv": QT_TRANSLATE_NOOP(
        "core", "{file} is read as a tab-separated table: every line has the same number of "
        "tabs."),
    "error.blank_lines": QT_TRANSLATE_NOOP("core", "The data file {file} holds only blank lines."),
    "fix.blank_lines": QT_TRANSLATE_NOOP("core", "Choose a file with text in it."),
    "data.read_as_text": QT_TRANSLATE_NOOP(
        "core", "{file} is read as plain text: one text per non-blank line ({lines:,}), in a "
        "column '{column}'."),
    "error.empty_sheet": QT_TRANSLATE_NOOP("core", "The first sheet of {file} is empty."),
    "fix.empty_sheet": QT_TRANSLATE_NOOP(
        "core", "Put the data on the first sheet, or save the sheet as CSV."),
    "error.missing_column": QT_TRANSLATE_NOOP(
        "core", "The column '{column}' (mapped as {role}) is not in {file}. Its columns are: "
        "{columns}."),
    "fix.missing_column": QT_TRANSLATE_NOOP("core", "Map one of the file's columns instead."),
    "fix.missing_column_text": QT_TRANSLATE_NOOP(
        "core", "{file} is read as plain text, one text per line (column '{column}'). If it is "
        "a table, name it .csv or .tsv, or choose its delimiter ({where})."),
    # A file that cannot be read (core.files)
    "error.save_as": QT_TRANSLATE_NOOP(
        "core", "{file} is {kind}, which pft-desktop does not read."),
    "fix.save_as": QT_TRANSLATE_NOOP(
        "core", "Open it in its spreadsheet program and save it as CSV (UTF-8) or as an Excel "
        ".xlsx workbook."),
    "error.unsupported_format": QT_TRANSLATE_NOOP(
        "core", "{file} is not a file type pft-desktop reads."),
    "fix.unsupported_format": QT_TRANSLATE_NOOP(
        "core", "Save the data as {readable}; .csv, .tsv, .jsonl and .txt files may also be "
        "gzip-compressed (.csv.gz)."),
    "error.not_gzip": QT_TRANSLATE_NOOP("core", "{file} cannot be decompressed ({error})."),
    "fix.not_gzip": QT_TRANSLATE_NOOP(
        "core", "Check that the file is a complete gzip file, or decompress it and choose the "
        "plain file."),
    "error.binary": QT_TRANSLATE_NOOP("core", "{file} contains {kind}, not text."),
    "fix.binary": QT_TRANSLATE_NOOP(
        "core", "Check that this is the right file; export the data from its program as CSV "
        "(UTF-8)."),
    "fix.binary_zip": QT_TRANSLATE_NOOP(
        "core", "If it is an Excel workbook, name it .xlsx; otherwise export the data as CSV."),
    "fix.binary_gzip": QT_TRANSLATE_NOOP(
        "core", "Name it with .gz at the end (data.csv.gz), or decompress it."),
    "fix.binary_parquet": QT_TRANSLATE_NOOP("core", "Name it .parquet."),
    "error.unknown_encoding": QT_TRANSLATE_NOOP(
        "core", "'{encoding}' is not a known text encoding."),
    "fix.unknown_encoding": QT_TRANSLATE_NOOP(
        "core", "Leave the encoding empty to detect it, or use utf-8 or cp1252 ({where})."),
    "error.wrong_encoding": QT_TRANSLATE_NOOP(
        "core", "{file} is not valid {encoding}: byte {byte} cannot be decoded."),
    "fix.wrong_encoding": QT_TRANSLATE_NOOP(
        "core", "Leave the encoding empty to detect it, or choose the file's encoding ({where})."),
    "error.undecodable": QT_TRANSLATE_NOOP("core", "{file} cannot be decoded as text."),
    "fix.undecodable": QT_TRANSLATE_NOOP("core", "Save the file as UTF-8 text."),
    "error.unreadable": QT_TRANSLATE_NOOP("core", "{file} could not be read as {format} ({error})."),
    "fix.unreadable": QT_TRANSLATE_NOOP(
        "core", "Check that the file is complete and in the format its name says."),
    # A table that cannot be read (core.tabular)
    "fix.blank_table": QT_TRANSLATE_NOOP("core", "Choose a file with a header row and data rows."),
    "error.unparsable_start": QT_TRANSLATE_NOOP(
        "core", "The start of {file} cannot be read as a table with the delimiter {delimiter}: a "
        "quoted cell never ends, or one cell is longer than the first 64 KB."),
    "fix.unparsable_start": QT_TRANSLATE_NOOP(
        "core", "Check the quotes near the top of the file, or choose the right delimiter "
        "({where})."),
    "error.open_quote_line": QT_TRANSLATE_NOOP(
        "core", "{file} has a quote (\") on line {line} that is never closed, so the rest of the "
        "file would be one cell."),
    "fix.open_quote_line": QT_TRANSLATE_NOOP(
        "core", "Add the closing quote or remove the stray one on line {line}, or save the file "
        "again from its program."),
    "error.open_quote": QT_TRANSLATE_NOOP(
        "core", "{file} has a quote (\") that is never closed, so the rest of the file would be "
        "one cell."),
    "fix.open_quote": QT_TRANSLATE_NOOP(
        "core", "Add the closing quote or remove the stray one, or save the file again from its "
        "program."),
    "where.fields": QT_TRANSLATE_NOOP(
        "core", "line {line} has {fields} fields where the header has {header}"),
    "where.some_fields": QT_TRANSLATE_NOOP(
        "core", "some rows have more fields than the header"),
    "error.ragged": QT_TRANSLATE_NOOP(
        "core", "{file} is not a regular table: {where} (delimiter: {delimiter})."),
    "fix.ragged": QT_TRANSLATE_NOOP(
        "core", "Quote text that contains the delimiter, or fix that row, or choose the right "
        "delimiter ({where})."),
    "error.no_data_rows": QT_TRANSLATE_NOOP("core", "{file} holds no data rows."),
    "fix.no_data_rows": QT_TRANSLATE_NOOP("core", "Add rows to the file, or choose another file."),
    "error.invalid_bytes": QT_TRANSLATE_NOOP(
        "core", "{file} contains bytes that are not valid text."),
    "fix.invalid_bytes": QT_TRANSLATE_NOOP(
        "core", "Save the file as UTF-8, or choose its encoding ({where})."),
    # Multi-label data, continued (0/1 label columns)
    "error.not_binary": QT_TRANSLATE_NOOP(
        "core", "The label column '{column}' of {file} holds values other than 0/1 ({values}) in "
        "{rows}, first in data row {first}."),
    "fix.not_binary": QT_TRANSLATE_NOOP(
        "core", "Map only columns holding 1 where the label applies and 0 where it does not "
        "(true/false and yes/no work too), or use one column of separated labels instead."),
    "data.not_binary": QT_TRANSLATE_NOOP(
        "core", "In {file}, '{column}' is not 0 or 1 in {rows} ({values}; first in data row "
        "{first}); those rows were left out."),
    "drop.not_binary": QT_TRANSLATE_NOOP("core", "a label column not 0 or 1"),
    "error.missing_label_column": QT_TRANSLATE_NOOP(
        "core", "The label column {names} is not in {file}. Its columns are: {columns}."),
    "error.missing_label_columns": QT_TRANSLATE_NOOP(
        "core", "The label columns {names} are not in {file}. Its columns are: {columns}."),
    "error.text_as_labels": QT_TRANSLATE_NOOP(
        "core", "The column '{column}' is mapped as the text and as labels."),
    "error.label_column_twice": QT_TRANSLATE_NOOP(
        "core", "The column '{column}' is named twice among the label columns."),
    "fix.label_columns_once": QT_TRANSLATE_NOOP(
        "core", "Map a different column to each role, and each label column once."),
    # Regression data, continued (a score that is not a number)
    "count.other_row": QT_TRANSLATE_NOOP("core", "{count:,} other row"),
    "count.other_rows": QT_TRANSLATE_NOOP("core", "{count:,} other rows"),
    "error.not_a_number": QT_TRANSLATE_NOOP(
        "core", "The score column '{column}' of {file} must hold numbers, but data row {row:,} "
        "(the header not counted) has {what}{more}."),
    "error.not_a_number_why": QT_TRANSLATE_NOOP(
        "core", "The score column '{column}' of {file} must hold numbers, but data row {row:,} "
        "(the header not counted) has {what}: {why}{more}."),
    "where.empty_value": QT_TRANSLATE_NOOP("core", "an empty value"),
    "where.value_in_row": QT_TRANSLATE_NOOP("core", "'{value}' in row {row:,}"),
    "data.other_rows": QT_TRANSLATE_NOOP("core", "; {rows} too: {shown}"),
    "data.other_rows_more": QT_TRANSLATE_NOOP("core", "; {rows} too: {shown} and more"),
    "why.mixed_decimals": QT_TRANSLATE_NOOP(
        "core", "decimal commas? Other rows write decimals with a point (like '{example}'), so "
        "the column mixes the two ways"),
    "why.thousands": QT_TRANSLATE_NOOP(
        "core", "decimal commas or thousands separators? Every such value has three digits after "
        "the comma"),
    "fix.not_a_number": QT_TRANSLATE_NOOP(
        "core", "Map the column that holds the numbers to predict, or correct or remove those "
        "rows. To predict classes (text labels), choose a classification task."),
    "fix.mixed_decimals": QT_TRANSLATE_NOOP(
        "core", "Write every number in the column the same way, with a decimal point (3.5)."),
    "fix.thousands": QT_TRANSLATE_NOOP(
        "core", "Write the numbers without thousands separators and with a decimal point (3.5, "
        "1500)."),
    # Images left out (core.images)
    "what.training_data": QT_TRANSLATE_NOOP("core", "the training data"),
    "what.validation_data": QT_TRANSLATE_NOOP("core", "the validation data"),
    "drop.not_image": QT_TRANSLATE_NOOP("core", "not an image file"),
    "drop.unreadable_image": QT_TRANSLATE_NOOP("core", "cannot be opened as an image"),
    "drop.missing_image": QT_TRANSLATE_NOOP("core", "image file not found"),
    "drop.outside_image": QT_TRANSLATE_NOOP("core", "not inside a class subfolder"),
    "count.file": QT_TRANSLATE_NOOP("core", "{count:,} file"),
    "count.files": QT_TRANSLATE_NOOP("core", "{count:,} files"),
    "count.image": QT_TRANSLATE_NOOP("core", "{count:,} image"),
    "count.images": QT_TRANSLATE_NOOP("core", "{count:,} images"),
    "count.image_path": QT_TRANSLATE_NOOP("core", "{count:,} image path"),
    "count.image_paths": QT_TRANSLATE_NOOP("core", "{count:,} image paths"),
    "count.class_folder": QT_TRANSLATE_NOOP("core", "{count:,} class folder"),
    "count.class_folders": QT_TRANSLATE_NOOP("core", "{count:,} class folders"),
    "error.image_folder_missing": QT_TRANSLATE_NOOP(
        "core", "The image folder {path} does not exist."),
    "fix.image_folder_missing": QT_TRANSLATE_NOOP(
        "core", "Check the path and choose the folder again."),
    "data.empty_class_folder": QT_TRANSLATE_NOOP(
        "core", "{folders} of {root} holds no images and is left out: {names}."),
    "data.empty_class_folders": QT_TRANSLATE_NOOP(
        "core", "{folders} of {root} hold no images and are left out: {names}."),
    "data.not_image": QT_TRANSLATE_NOOP(
        "core", "{files} in {what} is not an image ({suffixes}) and was skipped: {names}."),
    "data.not_images": QT_TRANSLATE_NOOP(
        "core", "{files} in {what} are not images ({suffixes}) and were skipped: {names}."),
    "data.outside_image": QT_TRANSLATE_NOOP(
        "core", "{images} of {what} lies directly in the folder, outside the class subfolders, "
        "and was skipped: {names}. Move it into the class's subfolder."),
    "data.outside_images": QT_TRANSLATE_NOOP(
        "core", "{images} of {what} lie directly in the folder, outside the class subfolders, "
        "and were skipped: {names}. Move them into the class's subfolder."),
    "data.unreadable_image": QT_TRANSLATE_NOOP(
        "core", "{files} in {what} cannot be opened as an image (damaged, or not what the name "
        "says) and was skipped: {names}."),
    "data.unreadable_images": QT_TRANSLATE_NOOP(
        "core", "{files} in {what} cannot be opened as images (damaged, or not what the name "
        "says) and were skipped: {names}."),
    "data.missing_image": QT_TRANSLATE_NOOP(
        "core", "{paths} in {what} names a file that does not exist and was left out: {names}. "
        "Relative paths are read from the table's folder."),
    "data.missing_images": QT_TRANSLATE_NOOP(
        "core", "{paths} in {what} name files that do not exist and were left out: {names}. "
        "Relative paths are read from the table's folder."),
    # A table read with rows left out (core.tabular), continued
    "delimiter.tab": QT_TRANSLATE_NOOP("core", "tab"),
    "delimiter.comma": QT_TRANSLATE_NOOP("core", "comma"),
    "delimiter.semicolon": QT_TRANSLATE_NOOP("core", "semicolon"),
    "delimiter.vertical_bar": QT_TRANSLATE_NOOP("core", "vertical bar"),
    "where.lines_more": QT_TRANSLATE_NOOP("core", "lines {lines} and {more:,} more"),
    "where.lines": QT_TRANSLATE_NOOP("core", "lines {lines} and {last}"),
    "where.header": QT_TRANSLATE_NOOP("core", "header"),
    "where.first_row": QT_TRANSLATE_NOOP("core", "first row"),
    "data.title_line": QT_TRANSLATE_NOOP(
        "core", "The first line of {file} ('{shown}') is not part of the table (a title or "
        "comments) and was skipped."),
    "data.title_lines": QT_TRANSLATE_NOOP(
        "core", "The first {lines} lines of {file} ('{shown}'…) are not part of the table (a "
        "title or comments) and were skipped."),
    "error.ragged_rows": QT_TRANSLATE_NOOP(
        "core", "{file} is not a regular table: line {line} has {fields} fields where the "
        "{above} has {width} ({long_rows:,} of {rows:,} rows have too many cells, {lines}; "
        "delimiter: {delimiter})."),
    "fix.ragged_rows": QT_TRANSLATE_NOOP(
        "core", "Quote text that contains the delimiter, fix those rows, or choose the right "
        "delimiter ({where})."),
    "data.ragged_row": QT_TRANSLATE_NOOP(
        "core", "{rows} of {file} has more cells than the {above} ({width}) and was left out: "
        "{lines}. Quote text that contains the {delimiter}, or fix that row, to keep it."),
    "data.ragged_rows": QT_TRANSLATE_NOOP(
        "core", "{rows} of {file} have more cells than the {above} ({width}) and were left out: "
        "{lines}. Quote text that contains the {delimiter}, or fix those rows, to keep them."),
    # Chat templates (core.chat) and seq2seq, continued
    "template.own": QT_TRANSLATE_NOOP("core", "the model's own chat template"),
    "template.chosen": QT_TRANSLATE_NOOP("core", "the '{name}' chat template (chosen)"),
    "template.default": QT_TRANSLATE_NOOP(
        "core", "the '{name}' chat template (the model has none of its own; another can be "
        "chosen under Hyperparameters > Chat template)"),
    "error.unknown_template": QT_TRANSLATE_NOOP(
        "core", "task.chat_template = {name} is not a known template."),
    "fix.unknown_template": QT_TRANSLATE_NOOP(
        "core", "Choose one of {templates}, or leave it empty for the model's own."),
    "error.template_tokens": QT_TRANSLATE_NOOP(
        "core", "The chat template '{name}' needs the tokens {tokens}, which this model's "
        "vocabulary does not have."),
    "fix.template_tokens": QT_TRANSLATE_NOOP(
        "core", "Choose 'zephyr' or 'plain', which end each turn with the model's own end "
        "token, or a model made for this template."),
    "error.no_eos_token": QT_TRANSLATE_NOOP(
        "core", "The tokenizer has no end-of-sequence token, so a reply could never end."),
    "fix.no_eos_token": QT_TRANSLATE_NOOP("core", "Choose a model whose tokenizer has one."),
    "error.template_refused": QT_TRANSLATE_NOOP(
        "core", "The model's chat template refused a conversation: {error}"),
    "fix.template_refused": QT_TRANSLATE_NOOP(
        "core", "Remove what it names (for example the system prompt, if the model takes none), "
        "or choose another template under Hyperparameters > Chat template."),
    "error.template_rewrites": QT_TRANSLATE_NOOP(
        "core", "The chat template does not write the assistant's reply as it is given."),
    "fix.template_rewrites": QT_TRANSLATE_NOOP(
        "core", "Choose another template under Hyperparameters > Chat template."),
    "data.target_is_source": QT_TRANSLATE_NOOP(
        "core", "In {same:,} of {rows:,} rows the target '{target}' is the same text as the "
        "source '{source}': the model would learn to copy. Check the column mapping."),
    # SQuAD-style JSON (core.qa_data)
    "error.bad_squad_json": QT_TRANSLATE_NOOP(
        "core", "{file} looks like SQuAD-style JSON but cannot be read as JSON ({error})."),
    "fix.bad_squad_json": QT_TRANSLATE_NOOP(
        "core", "Check that the file is complete (not cut off) and saved as UTF-8, or export it "
        "again."),
    "error.bad_squad": QT_TRANSLATE_NOOP(
        "core", "{file} is not laid out as SQuAD: its 'data' must be a list of articles, each "
        "with a list of 'paragraphs'."),
    "fix.bad_squad": QT_TRANSLATE_NOOP(
        "core", "Write it as {{\"data\": [{{\"title\": …, \"paragraphs\": [{{\"context\": …, "
        "\"qas\": [{{\"id\", \"question\", \"answers\": [{{\"text\", \"answer_start\"}}]}}]}}]}}]}}, "
        "or as a table with question, context and answer columns."),
    "error.no_squad_questions": QT_TRANSLATE_NOOP(
        "core", "{file} holds no questions (no 'qas' in its paragraphs)."),
    "fix.no_squad_questions": QT_TRANSLATE_NOOP("core", "Choose a file with questions in it."),
    # The Results page's headline (Task.headline)
    "headline.perplexity": QT_TRANSLATE_NOOP("core", "Validation perplexity {perplexity:.2f}."),
    "headline.loss": QT_TRANSLATE_NOOP("core", "Validation loss {loss:.4f}."),
    "headline.accuracy": QT_TRANSLATE_NOOP(
        "core", "Accuracy {accuracy:.1%}, macro F1 {f1:.3f} on the validation rows."),
    # Estimates measured by past runs (core.estimate_history)
    "history.run": QT_TRANSLATE_NOOP("core", "from {runs} past run with these settings"),
    "history.runs": QT_TRANSLATE_NOOP("core", "from {runs} past runs with these settings"),
    "history.pace.run": QT_TRANSLATE_NOOP("core", "at the pace this computer ran its latest run"),
    "history.pace.runs": QT_TRANSLATE_NOOP("core",
                                           "at the pace this computer ran its latest {runs} runs"),
    # A run's status lines (events.STATUS), shown on the Train page as they are
    "status.checking_model": QT_TRANSLATE_NOOP("core", "Checking the model"),
    "status.reading_data": QT_TRANSLATE_NOOP("core", "Reading the data"),
    "status.loading_model": QT_TRANSLATE_NOOP("core", "Loading the model"),
    "status.tokenizing": QT_TRANSLATE_NOOP("core", "Tokenizing"),
    "status.evaluating": QT_TRANSLATE_NOOP("core", "Evaluating"),
    "status.saving": QT_TRANSLATE_NOOP("core", "Saving the model"),
    "status.training_tokenizer": QT_TRANSLATE_NOOP("core", "Training a tokenizer"),
    "status.checking_images": QT_TRANSLATE_NOOP("core", "Checking the images"),
    # Errors of a run (core.errors.explain_exception)
    "error.out_of_memory": QT_TRANSLATE_NOOP("core", "Training ran out of memory on the device."),
    "fix.out_of_memory": QT_TRANSLATE_NOOP(
        "core", "Lower the batch size or the maximum sequence length, turn on gradient "
        "checkpointing, or switch to LoRA or QLoRA (4-bit), which keep far less in memory."),
    "error.no_disk_space": QT_TRANSLATE_NOOP("core", "The disk filled up while writing the run."),
    "fix.no_disk_space": QT_TRANSLATE_NOOP(
        "core", "Free some disk space or choose an output folder on another drive, then resume."),
    "error.internal": QT_TRANSLATE_NOOP(
        "core", "Training failed with an unexpected error ({error})."),
    "fix.internal": QT_TRANSLATE_NOOP(
        "core", "The full traceback is in the run's train.log; please include it if you report "
        "this."),
    # Reading a data file (core.data)
    "error.data_missing": QT_TRANSLATE_NOOP("core", "The data file {path} does not exist."),
    "fix.data_missing": QT_TRANSLATE_NOOP("core", "Check the path and choose the file again."),
}


class Message(str):
    """The English text of a catalogue message, remembering its id and parameters."""

    id: str
    params: dict

    def __new__(cls, id: str, **params) -> "Message":
        text = super().__new__(cls, CATALOGUE[id].format(**params))
        text.id, text.params = id, params
        return text

    @property
    def template(self) -> str:
        return CATALOGUE[self.id]

    def __reduce__(self):  # copies and pickles rebuild it from its id (str's would not)
        return (_rebuild, (self.id, self.params))

    def __deepcopy__(self, memo) -> "Message":
        return self


def _rebuild(id: str, params: dict) -> Message:
    return Message(id, **params)


def message(id: str, **params) -> Message:
    return Message(id, **params)


def known(text: str):
    """``text`` as a Message when it is a catalogue entry without parameters (a name such as
    "Labels" that core keeps as plain text), else ``text`` itself."""
    if isinstance(text, Message):
        return text
    found = next((id for id, template in CATALOGUE.items() if template == text
                  and "{" not in template), None)
    return Message(found) if found else text


def wire(text) -> dict | None:
    """What a Message needs besides its English text to be rebuilt in another process (JSON);
    None for plain text."""
    if not isinstance(text, Message):
        return None
    return {"id": text.id, "params": {key: _plain(value) for key, value in text.params.items()}}


def _plain(value):
    """A parameter as JSON holds it (a nested message as its wire data)."""
    if isinstance(value, Message):
        return wire(value)
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


def unwire(data: dict):
    """The Message ``wire()`` described (parameters that were messages too)."""
    params = {key: unwire(value) if isinstance(value, dict) and "id" in value else value
              for key, value in (data.get("params") or {}).items()}
    try:
        return Message(data["id"], **params)
    except (KeyError, IndexError, ValueError):  # an id or parameter this version lacks
        return None


def from_wire(record: dict, key: str):
    """``record[key]`` as a Message when ``record[key + "_id"]`` describes it (UserError.to_dict,
    DataReport.to_dict), else the plain text."""
    text = record.get(key) or ""
    data = record.get(f"{key}_id")
    restored = unwire(data) if isinstance(data, dict) else None
    return restored if restored is not None and restored == text else text


def joined(items: list):
    """``items`` joined by ", " as one message (nested "list.more"), so that each item and the
    separator are shown in the app's language; "" for none, the item itself for one."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return Message("list.more", first=items[0], rest=joined(items[1:]))
