//! Names of the primary keys and unique constraints created by the migrations.
//!
//! [`super::unique_violation_constraint`] reports these names on both backends, so the
//! service layer can match on them to turn a conflict into a domain error. The values are
//! part of the schema: never change one, add new ones for new constraints (and list them
//! in [`UNIQUE_KEYS`]).

pub const PK_USERS: &str = "pk_users";
pub const PK_GROUPS: &str = "pk_groups";
pub const PK_GROUPMEMBERS: &str = "pk_groupmembers";
pub const PK_GROUPINVITATIONS: &str = "pk_groupinvitations";
pub const PK_EVENTS: &str = "pk_events";
pub const PK_VIEWEDEVENTS: &str = "pk_viewedevents";
pub const PK_DEADLINES: &str = "pk_deadlines";
pub const PK_QUEUES: &str = "pk_queues";
pub const PK_QUEUEPARTICIPANTS: &str = "pk_queueparticipants";
pub const PK_TOPICLISTS: &str = "pk_topiclists";
pub const PK_TOPICS: &str = "pk_topics";
pub const PK_TOPICSELECTIONS: &str = "pk_topicselections";
pub const PK_ADMINACCESSCODES: &str = "pk_adminaccesscodes";
pub const PK_DIALOGUES: &str = "pk_dialogues";
pub const PK_PROCESSEDUPDATES: &str = "pk_processedupdates";
pub const PK_GROUPCHATS: &str = "pk_groupchats";
pub const PK_LIVEMESSAGES: &str = "pk_livemessages";
pub const PK_QUEUESWAPS: &str = "pk_queueswaps";
pub const PK_TOPICPREFERENCES: &str = "pk_topicpreferences";
pub const PK_TIMETABLES: &str = "pk_timetables";
pub const PK_CLASSES: &str = "pk_classes";
pub const PK_CLASSCHANGES: &str = "pk_classchanges";
pub const PK_SUBGROUPMEMBERS: &str = "pk_subgroupmembers";
pub const PK_QUEUESCREENS: &str = "pk_queuescreens";
pub const PK_HOMEWORK: &str = "pk_homework";
pub const PK_HOMEWORKFILES: &str = "pk_homeworkfiles";
pub const PK_HOMEWORKDONE: &str = "pk_homeworkdone";
pub const PK_DIGESTSETTINGS: &str = "pk_digestsettings";
pub const PK_DIGESTMARKS: &str = "pk_digestmarks";

pub const UQ_GROUPS_ICS_SECRET: &str = "uq_groups_ics_secret";
/// A user is a member of at most one group.
pub const UQ_GROUPMEMBERS_USER: &str = "uq_groupmembers_user";
pub const UQ_GROUPINVITATIONS_INVITE_TOKEN: &str = "uq_groupinvitations_invite_token";
/// A user stands in a queue at most once.
pub const UQ_QUEUEPARTICIPANTS_QUEUE_USER: &str = "uq_queueparticipants_queue_user";
/// Two participants never share a place in a queue.
pub const UQ_QUEUEPARTICIPANTS_QUEUE_POSITION: &str = "uq_queueparticipants_queue_position";
/// A user selects a topic at most once.
pub const UQ_TOPICSELECTIONS_TOPIC_USER: &str = "uq_topicselections_topic_user";
pub const UQ_ADMINACCESSCODES_CODE: &str = "uq_adminaccesscodes_code";
/// A study group is bound to at most one Telegram chat.
pub const UQ_GROUPCHATS_GROUP: &str = "uq_groupchats_group";
/// A Telegram chat is bound to at most one study group.
pub const UQ_GROUPCHATS_CHAT: &str = "uq_groupchats_chat";
/// One live-message row per Telegram message.
pub const UQ_LIVEMESSAGES_CHAT_MESSAGE: &str = "uq_livemessages_chat_message";
/// A participant asks one other participant of a queue to swap at a time.
pub const UQ_QUEUESWAPS_QUEUE_FROM: &str = "uq_queueswaps_queue_from_user";
/// A student ranks a topic of a list once…
pub const UQ_TOPICPREFERENCES_LIST_USER_TOPIC: &str = "uq_topicpreferences_list_user_topic";
/// … and gives each rank once.
pub const UQ_TOPICPREFERENCES_LIST_USER_RANK: &str = "uq_topicpreferences_list_user_rank";

/// A class is cancelled or moved at most once on a date.
pub const UQ_CLASSCHANGES_CLASS_DATE: &str = "uq_classchanges_class_id_on_date";

/// Every primary key and unique constraint as `(name, table, columns)`.
///
/// SQLite does not name the violated constraint in its error message, only the columns
/// (`UNIQUE constraint failed: queueparticipants.queue_id, queueparticipants.position`);
/// this table maps them back to the name.
pub const UNIQUE_KEYS: &[(&str, &str, &[&str])] = &[
    (PK_USERS, "users", &["telegram_id"]),
    (PK_GROUPS, "groups", &["id"]),
    (PK_GROUPMEMBERS, "groupmembers", &["id"]),
    (PK_GROUPINVITATIONS, "groupinvitations", &["id"]),
    (PK_EVENTS, "events", &["id"]),
    (PK_VIEWEDEVENTS, "viewedevents", &["user_id", "event_id"]),
    (PK_DEADLINES, "deadlines", &["id"]),
    (PK_QUEUES, "queues", &["id"]),
    (PK_QUEUEPARTICIPANTS, "queueparticipants", &["id"]),
    (PK_TOPICLISTS, "topiclists", &["id"]),
    (PK_TOPICS, "topics", &["id"]),
    (PK_TOPICSELECTIONS, "topicselections", &["id"]),
    (PK_ADMINACCESSCODES, "adminaccesscodes", &["id"]),
    (PK_DIALOGUES, "dialogues", &["user_id"]),
    (UQ_GROUPS_ICS_SECRET, "groups", &["ics_secret"]),
    (UQ_GROUPMEMBERS_USER, "groupmembers", &["user_id"]),
    (
        UQ_GROUPINVITATIONS_INVITE_TOKEN,
        "groupinvitations",
        &["invite_token"],
    ),
    (
        UQ_QUEUEPARTICIPANTS_QUEUE_USER,
        "queueparticipants",
        &["queue_id", "user_id"],
    ),
    (
        UQ_QUEUEPARTICIPANTS_QUEUE_POSITION,
        "queueparticipants",
        &["queue_id", "position"],
    ),
    (
        UQ_TOPICSELECTIONS_TOPIC_USER,
        "topicselections",
        &["topic_id", "user_id"],
    ),
    (UQ_ADMINACCESSCODES_CODE, "adminaccesscodes", &["code"]),
    (PK_GROUPCHATS, "groupchats", &["id"]),
    (PK_LIVEMESSAGES, "livemessages", &["id"]),
    (UQ_GROUPCHATS_GROUP, "groupchats", &["group_id"]),
    (UQ_GROUPCHATS_CHAT, "groupchats", &["chat_id"]),
    (
        UQ_LIVEMESSAGES_CHAT_MESSAGE,
        "livemessages",
        &["chat_id", "message_id"],
    ),
    (PK_QUEUESWAPS, "queueswaps", &["id"]),
    (PK_TOPICPREFERENCES, "topicpreferences", &["id"]),
    (
        UQ_TOPICPREFERENCES_LIST_USER_TOPIC,
        "topicpreferences",
        &["topic_list_id", "user_id", "topic_id"],
    ),
    (
        UQ_TOPICPREFERENCES_LIST_USER_RANK,
        "topicpreferences",
        &["topic_list_id", "user_id", "rank"],
    ),
    (
        UQ_QUEUESWAPS_QUEUE_FROM,
        "queueswaps",
        &["queue_id", "from_user"],
    ),
    (PK_TIMETABLES, "timetables", &["group_id"]),
    (PK_CLASSES, "classes", &["id"]),
    (PK_CLASSCHANGES, "classchanges", &["id"]),
    (PK_SUBGROUPMEMBERS, "subgroupmembers", &["member_id"]),
    (PK_QUEUESCREENS, "queuescreens", &["queue_id", "user_id"]),
    (PK_HOMEWORK, "homework", &["id"]),
    (
        PK_HOMEWORKFILES,
        "homeworkfiles",
        &["homework_id", "position"],
    ),
    (PK_HOMEWORKDONE, "homeworkdone", &["homework_id", "user_id"]),
    (PK_DIGESTSETTINGS, "digestsettings", &["user_id"]),
    (PK_DIGESTMARKS, "digestmarks", &["name"]),
    (
        UQ_CLASSCHANGES_CLASS_DATE,
        "classchanges",
        &["class_id", "on_date"],
    ),
];
