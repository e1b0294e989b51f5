//! Names of the Bot API methods (Bot API 10.1), so that unknown names
//! get Telegram's 404 while known-but-unmodelled ones get a clear message.

/// Methods that return `True` on success; unless modelled specifically, the
/// fake records them and answers `true`.
pub const RETURNING_TRUE: &[&str] = &[
    "addStickerToSet", "answerCallbackQuery", "answerChatJoinRequestQuery", "answerInlineQuery",
    "answerPreCheckoutQuery", "answerShippingQuery", "approveChatJoinRequest",
    "approveSuggestedPost", "banChatMember", "banChatSenderChat", "close", "closeForumTopic",
    "closeGeneralForumTopic", "convertGiftToStars", "createNewStickerSet", "declineChatJoinRequest",
    "declineSuggestedPost", "deleteAllMessageReactions", "deleteBusinessMessages",
    "deleteChatPhoto", "deleteChatStickerSet", "deleteForumTopic", "deleteMessage",
    "deleteMessageReaction", "deleteMessages", "deleteMyCommands", "deleteStickerFromSet",
    "deleteStickerSet", "deleteStory", "deleteWebhook", "editForumTopic", "editGeneralForumTopic",
    "editUserStarSubscription", "giftPremiumSubscription", "hideGeneralForumTopic", "leaveChat",
    "logOut", "pinChatMessage", "promoteChatMember", "readBusinessMessage", "refundStarPayment",
    "removeBusinessAccountProfilePhoto", "removeChatVerification", "removeMyProfilePhoto",
    "removeUserVerification", "reopenForumTopic", "reopenGeneralForumTopic", "replaceStickerInSet",
    "restrictChatMember", "sendChatAction", "sendChatJoinRequestWebApp", "sendGift",
    "sendMessageDraft", "sendRichMessageDraft", "setBusinessAccountBio",
    "setBusinessAccountGiftSettings", "setBusinessAccountName", "setBusinessAccountProfilePhoto",
    "setBusinessAccountUsername", "setChatAdministratorCustomTitle", "setChatDescription",
    "setChatMemberTag", "setChatMenuButton", "setChatPermissions", "setChatPhoto",
    "setChatStickerSet", "setChatTitle", "setCustomEmojiStickerSetThumbnail",
    "setManagedBotAccessSettings", "setMessageReaction", "setMyCommands",
    "setMyDefaultAdministratorRights", "setMyDescription", "setMyName", "setMyProfilePhoto",
    "setMyShortDescription", "setPassportDataErrors", "setStickerEmojiList", "setStickerKeywords",
    "setStickerMaskPosition", "setStickerPositionInSet", "setStickerSetThumbnail",
    "setStickerSetTitle", "setUserEmojiStatus", "setWebhook", "transferBusinessAccountStars",
    "transferGift", "unbanChatMember", "unbanChatSenderChat", "unhideGeneralForumTopic",
    "unpinAllChatMessages", "unpinAllForumTopicMessages", "unpinAllGeneralForumTopicMessages",
    "unpinChatMessage", "upgradeGift", "verifyChat", "verifyUser",
];

/// Every other method. Those not modelled by the fake are answered with a
/// 400 that says so, rather than with a made-up object.
pub const RETURNING_OBJECTS: &[&str] = &[
    "answerGuestQuery", "answerWebAppQuery", "copyMessage", "copyMessages", "createChatInviteLink",
    "createChatSubscriptionInviteLink", "createForumTopic", "createInvoiceLink",
    "editChatInviteLink", "editChatSubscriptionInviteLink", "editMessageCaption",
    "editMessageChecklist", "editMessageLiveLocation", "editMessageMedia", "editMessageReplyMarkup",
    "editMessageText", "editStory", "exportChatInviteLink", "forwardMessage", "forwardMessages",
    "getAvailableGifts", "getBusinessAccountGifts", "getBusinessAccountStarBalance",
    "getBusinessConnection", "getChat", "getChatAdministrators", "getChatGifts", "getChatMember",
    "getChatMemberCount", "getChatMenuButton", "getCustomEmojiStickers", "getFile",
    "getForumTopicIconStickers", "getGameHighScores", "getManagedBotAccessSettings",
    "getManagedBotToken", "getMe", "getMyCommands", "getMyDefaultAdministratorRights",
    "getMyDescription", "getMyName", "getMyShortDescription", "getMyStarBalance",
    "getStarTransactions", "getStickerSet", "getUpdates", "getUserChatBoosts", "getUserGifts",
    "getUserPersonalChatMessages", "getUserProfileAudios", "getUserProfilePhotos", "getWebhookInfo",
    "postStory", "replaceManagedBotToken", "repostStory", "revokeChatInviteLink",
    "savePreparedInlineMessage", "savePreparedKeyboardButton", "sendAnimation", "sendAudio",
    "sendChecklist", "sendContact", "sendDice", "sendDocument", "sendGame", "sendInvoice",
    "sendLivePhoto", "sendLocation", "sendMediaGroup", "sendMessage", "sendPaidMedia", "sendPhoto",
    "sendPoll", "sendRichMessage", "sendSticker", "sendVenue", "sendVideo", "sendVideoNote",
    "sendVoice", "setGameScore", "stopMessageLiveLocation", "stopPoll", "uploadStickerFile",
];

/// The canonical spelling of `name` (Telegram matches method names case-insensitively).
pub fn canonical(name: &str) -> Option<&'static str> {
    RETURNING_TRUE
        .iter()
        .chain(RETURNING_OBJECTS)
        .find(|known| known.eq_ignore_ascii_case(name))
        .copied()
}
